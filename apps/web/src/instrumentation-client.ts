import { z } from 'zod';

// Runs in the browser before the app's code. zod compiles its object parsers with `new Function`
// unless told not to, and its probe for that shows up as a violation of the page's CSP (which
// allows no eval): parse without compiling. The server keeps the compiled parsers.
z.config({ jitless: true });
