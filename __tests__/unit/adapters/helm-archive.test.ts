import { describe, expect, it } from '@jest/globals';
import { patchTarHeaders } from '../../../src/adapters/helm.js';

describe('chart archive headers', () => {
  /** One ustar header block (as Go's archive/tar writes it) followed by its data. */
  function entry(name: string, data: string, type = '0'): Buffer {
    const header = Buffer.alloc(512);
    header.write(name, 0, 'latin1');
    header.write('0000644\0', 100, 'latin1');
    header.write('0001750\0', 108, 'latin1');
    header.write('0001750\0', 116, 'latin1');
    header.write(`${Buffer.byteLength(data).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    header.write('14771234567\0', 136, 'latin1');
    header.write(type, 156, 'latin1');
    header.write('ustar\u000000', 257, 'latin1');
    header.write('runner', 265, 'latin1');
    header.write('docker', 297, 'latin1');
    const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
    body.write(data, 'utf8');
    return Buffer.concat([header, body]);
  }

  it('sets every time and owner, keeps names, modes and data, and leaves extended times to tar', () => {
    const archive = Buffer.concat([entry('c/Chart.yaml', 'name: c\n'), entry('c/values.yaml', 'a: 1\n'), Buffer.alloc(1024)]);
    const patched = patchTarHeaders(archive, 1767225600)!;
    expect(patched.length).toBe(archive.length);
    for (const at of [0, 1024]) {
      expect(patched.toString('latin1', at + 136, at + 147)).toBe((1767225600).toString(8).padStart(11, '0'));
      expect(patched.toString('latin1', at + 265, at + 271)).toBe('\0'.repeat(6));
      expect(patched.toString('latin1', at, at + 12)).toBe(archive.toString('latin1', at, at + 12));
      let sum = 0;
      for (let i = at; i < at + 512; i++) sum += i >= at + 148 && i < at + 156 ? 0x20 : patched[i];
      expect(parseInt(patched.toString('latin1', at + 148, at + 154), 8)).toBe(sum);
    }
    expect(patched.subarray(512, 1024).equals(archive.subarray(512, 1024))).toBe(true);
    expect(patchTarHeaders(Buffer.concat([entry('pax', '30 mtime=1767225600.123456789\n', 'x'), Buffer.alloc(1024)]), 0)).toBeUndefined();
  });
});
