// A subprocess pipeline: words go into `sort` and come back in order, first all at once with
// communicate(), then streamed line by line. Run it with
// `node examples/dist/subprocess-pipeline.js`.
import { createSubprocessExec, createTask, PIPE, run } from 'tsio';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const words = ['pear', 'apple', 'fig', 'banana', 'apple', 'cherry'];

await run(async () => {
  // communicate() writes stdin, reads stdout and stderr and waits for the exit, all at once:
  // a child that writes a lot before it has read all its input cannot deadlock it.
  const sort = await createSubprocessExec('sort', [], { stdin: PIPE, stdout: PIPE });
  const [out] = await sort.communicate(encoder.encode(`${words.join('\n')}\n`));
  const sorted = decoder.decode(out!).trimEnd().split('\n');
  console.log(`sorted: ${sorted.join(' ')} (exit ${sort.returncode})`);

  // Streaming: one task feeds stdin with drain(), this one reads stdout line by line.
  const unique = await createSubprocessExec('sort', ['-u'], { stdin: PIPE, stdout: PIPE });
  const stdin = unique.stdin!;
  const feeder = createTask(async () => {
    for (const word of words) {
      stdin.write(encoder.encode(`${word}\n`));
      await stdin.drain(); // BrokenPipeError here if the child exits before reading it all
    }
    stdin.close(); // end of file: sort can answer
  });
  for await (const line of unique.stdout!) {
    console.log(`unique: ${decoder.decode(line).trimEnd()}`);
  }
  await feeder;
  console.log(`exit ${await unique.wait()}`);
});
