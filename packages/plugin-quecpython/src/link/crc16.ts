/**
 * CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection), the checksum of
 * a bridge frame. The bridge computes the same value in MicroPython with the same 16-entry
 * nibble table, which stays a small int on 32-bit ports (CRC-32 would allocate big ints there).
 * @module
 */

const nibbleTable: readonly number[] = Array.from({ length: 16 }, (_, n) => {
  let c = n << 12;
  for (let i = 0; i < 4; i++) c = (c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1) & 0xffff;
  return c;
});

/** CRC-16/CCITT-FALSE of `bytes` (the check value of ASCII "123456789" is 0x29B1). */
export const crc16 = (bytes: Uint8Array): number => {
  let c = 0xffff;
  for (const b of bytes) {
    c = ((c << 4) & 0xffff) ^ nibbleTable[(c >> 12) ^ (b >> 4)]!;
    c = ((c << 4) & 0xffff) ^ nibbleTable[(c >> 12) ^ (b & 15)]!;
  }
  return c;
};
