#!/usr/bin/env node
// React's development build costs the screen several milliseconds a frame; a trader runs the
// production one unless they ask otherwise. Set before React loads, hence the dynamic import.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv);
