import { LifoQueue, PriorityQueue, Queue } from '../src/index.js';
import { describeQueueContract } from './describe-queue-contract.js';

describeQueueContract('Queue', (maxsize) => new Queue<unknown>(maxsize));
describeQueueContract('LifoQueue', (maxsize) => new LifoQueue<unknown>(maxsize));
describeQueueContract('PriorityQueue', (maxsize) => new PriorityQueue<unknown>(maxsize));
