/** The command line's door: `main(argv)` (bin/ironforge.js) and the assembled commander program. See README.md. */
export { main, buildProgram } from './main.js';
