// Starts the release job's thread. Worker threads on Node 20 do not take tsx through --import, so
// this small JavaScript file loads the TypeScript thread itself with tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./job-thread.ts', import.meta.url);
