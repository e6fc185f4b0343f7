const response = await fetch(process.argv[2]);
process.stdout.write(`${(await response.arrayBuffer()).byteLength}\n`);
process.exit(0);
