#!/usr/bin/env python3
"""scripts/gen_worldgrid.py - write console/worldgrid.js: one tile per ISO
3166-1 alpha-2 country on a grid, placed roughly by geography, for the
console's small world map (console/item.js).

Each country's rough centre (latitude, longitude, whole degrees, written
for this map) is projected equirectangularly onto the grid; a tile already
taken sends the country to the nearest free cell, larger countries placed
first so small dense regions (Europe, the Caribbean, the Pacific) spread
around them. The output is deterministic: rerun after editing the table.

    python3 scripts/gen_worldgrid.py > console/worldgrid.js
"""
import math

# code, lat, lon, weight (bigger countries are placed first: 3 large, 2 mid, 1 small)
C = """
AF 34 66 2|AX 60 20 1|AL 41 20 1|DZ 28 2 3|AS -14 -170 1|AD 42 1 1|AO -12 18 2|AI 18 -63 1
AQ -80 0 3|AG 17 -61 1|AR -36 -65 3|AM 40 45 1|AW 12 -70 1|AU -25 134 3|AT 47 14 1|AZ 40 47 1
BS 24 -77 1|BH 26 50 1|BD 24 90 2|BB 13 -59 1|BY 53 28 2|BE 50 4 1|BZ 17 -88 1|BJ 9 2 1
BM 32 -64 1|BT 27 90 1|BO -17 -64 2|BQ 12 -68 1|BA 44 18 1|BW -22 24 2|BV -54 3 1|BR -10 -52 3
IO -6 72 1|BN 4 114 1|BG 43 25 1|BF 12 -1 1|BI -3 30 1|CV 16 -24 1|KH 12 105 1|CM 6 12 2
CA 60 -100 3|KY 19 -81 1|CF 7 21 2|TD 15 19 2|CL -30 -71 2|CN 35 103 3|CX -10 105 1|CC -12 97 1
CO 4 -73 2|KM -12 44 1|CG -1 15 1|CD -3 23 3|CK -21 -160 1|CR 10 -84 1|CI 8 -5 1|HR 45 16 1
CU 22 -79 1|CW 12 -69 1|CY 35 33 1|CZ 50 15 1|DK 56 10 1|DJ 12 43 1|DM 15 -61 1|DO 19 -70 1
EC -2 -78 1|EG 27 30 2|SV 14 -89 1|GQ 2 10 1|ER 15 39 1|EE 59 26 1|SZ -27 31 1|ET 9 39 2
FK -52 -59 1|FO 62 -7 1|FJ -18 178 1|FI 64 26 2|FR 46 2 2|GF 4 -53 1|PF -17 -150 1|TF -49 69 1
GA -1 12 1|GM 13 -16 1|GE 42 43 1|DE 51 10 2|GH 8 -1 1|GI 36 -5 1|GR 39 22 1|GL 72 -40 3
GD 12 -62 1|GP 16 -62 1|GU 13 145 1|GT 15 -90 1|GG 49 -3 1|GN 10 -11 1|GW 12 -15 1|GY 5 -59 1
HT 19 -72 1|HM -53 73 1|VA 42 12 1|HN 15 -87 1|HK 22 114 1|HU 47 19 1|IS 65 -18 1|IN 21 78 3
ID -2 118 3|IR 32 53 3|IQ 33 44 2|IE 53 -8 1|IM 54 -5 1|IL 31 35 1|IT 42 12 2|JM 18 -77 1
JP 36 138 2|JE 49 -2 1|JO 31 36 1|KZ 48 67 3|KE 0 38 2|KI 1 173 1|KP 40 127 1|KR 36 128 1
KW 29 48 1|KG 41 75 1|LA 18 103 1|LV 57 25 1|LB 34 36 1|LS -30 28 1|LR 6 -9 1|LY 27 17 3
LI 47 9 1|LT 55 24 1|LU 50 6 1|MO 22 113 1|MG -19 47 2|MW -13 34 1|MY 3 102 2|MV 3 73 1
ML 17 -4 3|MT 36 14 1|MH 7 171 1|MQ 15 -61 1|MR 20 -10 2|MU -20 57 1|YT -13 45 1|MX 23 -102 3
FM 7 158 1|MD 47 29 1|MC 44 7 1|MN 46 105 3|ME 43 19 1|MS 17 -62 1|MA 32 -6 2|MZ -18 35 2
MM 21 96 2|NA -22 17 2|NR -1 167 1|NP 28 84 1|NL 52 5 1|NC -21 165 1|NZ -41 174 2|NI 13 -85 1
NE 17 9 3|NG 9 8 2|NU -19 -170 1|NF -29 168 1|MK 41 22 1|MP 15 146 1|NO 62 10 2|OM 21 57 2
PK 30 70 2|PW 7 134 1|PS 32 35 1|PA 9 -80 1|PG -6 145 2|PY -23 -58 2|PE -10 -76 2|PH 13 122 2
PN -25 -130 1|PL 52 19 2|PT 39 -8 1|PR 18 -66 1|QA 25 51 1|RE -21 55 1|RO 46 25 2|RU 60 95 3
RW -2 30 1|BL 18 -63 1|SH -16 -6 1|KN 17 -63 1|LC 14 -61 1|MF 18 -63 1|PM 47 -56 1|VC 13 -61 1
WS -14 -172 1|SM 44 12 1|ST 0 7 1|SA 24 45 3|SN 14 -14 1|RS 44 21 1|SC -5 55 1|SL 8 -12 1
SG 1 104 1|SX 18 -63 1|SK 49 19 1|SI 46 15 1|SB -9 160 1|SO 6 46 2|ZA -29 24 3|GS -55 -37 1
SS 7 30 2|ES 40 -4 2|LK 8 81 1|SD 15 30 3|SR 4 -56 1|SJ 78 16 1|SE 62 15 2|CH 47 8 1
SY 35 38 1|TW 24 121 1|TJ 39 71 1|TZ -6 35 2|TH 15 101 2|TL -9 126 1|TG 8 1 1|TK -9 -172 1
TO -21 -175 1|TT 11 -61 1|TN 34 9 1|TR 39 35 2|TM 39 59 2|TC 22 -72 1|TV -8 178 1|UG 1 32 1
UA 49 32 2|AE 24 54 1|GB 54 -2 2|US 39 -98 3|UM 19 167 1|UY -33 -56 1|UZ 41 64 2|VU -16 167 1
VE 7 -66 2|VN 16 107 2|VG 18 -64 1|VI 18 -65 1|WF -14 -177 1|EH 24 -13 1|YE 15 48 2|ZM -14 28 2
ZW -19 30 2
"""

COLS, ROWS = 40, 22  # the grid


def piecewise(v, points):
    """Linear between (value, position) breakpoints, in increasing value order."""
    for (a, pa), (b, pb) in zip(points, points[1:]):
        if v <= b:
            return pa + (max(v, a) - a) / (b - a) * (pb - pa)
    return points[-1][1]


# Europe, the Middle East and the Caribbean hold many small countries: they
# get more columns and rows than their degrees (a piecewise projection).
XS = [(-180, 0), (-100, 6), (-55, 14), (-25, 16), (45, 29), (80, 32), (180, COLS - 1)]
YS = [(-60, ROWS - 1), (-10, 15), (30, 9), (72, 1), (80, 0)]


def cell(lat, lon):
    x = round(piecewise(lon, XS))
    y = round(piecewise(-lat, [(-v, p) for v, p in reversed(YS)]))
    return x, y


def main():
    rows = [s.split() for s in C.replace('\n', '|').split('|') if s.strip()]
    countries = [(c, int(a), int(o), int(w)) for c, a, o, w in rows]
    assert len({c for c, *_ in countries}) == len(countries) == 249, len(countries)
    taken, out = {}, []
    # big first, then north to south, west to east: the same input gives the same map
    for code, lat, lon, w in sorted(countries, key=lambda t: (-t[3], -t[1], t[2], t[0])):
        x0, y0 = cell(lat, lon)
        best = None
        for r in range(0, 12):
            for dy in range(-r, r + 1):
                for dx in range(-r, r + 1):
                    if max(abs(dx), abs(dy)) != r:
                        continue
                    x, y = x0 + dx, y0 + dy
                    if 0 <= x < COLS and 0 <= y < ROWS and (x, y) not in taken:
                        d = math.hypot(dx * 1.0, dy * 1.3)
                        if best is None or d < best[0]:
                            best = (d, x, y)
            if best:
                break
        _, x, y = best
        taken[(x, y)] = code
        out.append((code, x, y))
    out.sort()
    print('// worldgrid.js - generated by scripts/gen_worldgrid.py: do not edit.')
    print('// One tile per ISO 3166-1 alpha-2 country, [column, row] on a '
          f'{COLS} x {ROWS} grid,')
    print('// placed roughly by geography (north up, west left).')
    print(f'export const GRID = {{ cols: {COLS}, rows: {ROWS} }};')
    print('export const TILES = {')
    line = ' '
    for code, x, y in out:
        item = f" {code}: [{x}, {y}],"
        if len(line) + len(item) > 100:
            print(line)
            line = ' '
        line += item
    print(line)
    print('};')


main()
