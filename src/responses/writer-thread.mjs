// Starts the writer thread. Worker threads on Node 20 do not take tsx through --import, so this
// small JavaScript file loads the TypeScript thread itself with tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./writer-thread.ts', import.meta.url);
