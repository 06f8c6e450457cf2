# SPDX-License-Identifier: GPL-3.0-or-later
# png_colours.py -- an independent reader of the PNGs gnuplot's pngcairo
# writes (8-bit RGB/RGBA, not interlaced; the standard library's zlib only):
# the image size and the count of pixels of each colour.
# usage: png_colours.py FILE.png [#rrggbb ...]  (prints "W H", then "COLOUR COUNT")
import struct, sys, zlib
def read_png(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat = 8, b''
    while pos < len(data):
        n, typ = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b'IHDR':
            w, h, depth, ctype, _, _, inter = struct.unpack('>IIBBBBB', body)
        elif typ == b'IDAT':
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6) and inter == 0, (depth, ctype, inter)
    bpp = 4 if ctype == 6 else 3
    raw, stride = zlib.decompress(idat), w * bpp
    prev, rows, i = bytearray(stride), [], 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows
def colours(path):
    w, h, bpp, rows = read_png(path)
    cnt = {}
    for r in rows:
        for x in range(0, w * bpp, bpp):
            k = '#%02x%02x%02x' % (r[x], r[x + 1], r[x + 2])
            cnt[k] = cnt.get(k, 0) + 1
    return w, h, cnt
if __name__ == '__main__':
    w, h, cnt = colours(sys.argv[1])
    print(w, h)
    for k in sys.argv[2:]:
        print(k, cnt.get(k, 0))
