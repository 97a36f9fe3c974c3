export { default } from '../../tools/jest.config.base.js';
