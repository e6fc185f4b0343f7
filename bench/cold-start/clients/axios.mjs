import axios from 'axios';

const { data } = await axios.get(process.argv[2], { responseType: 'arraybuffer' });
process.stdout.write(`${data.byteLength}\n`);
process.exit(0);
