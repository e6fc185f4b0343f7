// The floor: a Node process that starts, loads this module and exits, with no HTTP at all.
process.exit(0);
