"""Read jili's SDMX with real SDMX clients (issue 23): the structure message from
/sdmx/structure and the SDMX-CSV from /data/download.sdmx.csv (and the same pair inside
/data/download.sdmx.zip).

- pysdmx validates the structure message against the SDMX-ML 3.0 schemas and reads the data
  with it: OBS_VALUE must come out as numbers, not strings.
- sdmx1 reads the structure and the data by the dataflow the CSV names: every observation must
  have a numeric value, a REF_AREA code with a Chinese name from CL_REF_AREA, an INDICATOR from
  CL_INDICATOR, a coded UNIT_MEASURE and an OBS_STATUS from SDMX's CL_OBS_STATUS.

    python check.py STRUCTURE.xml DATA.sdmx.csv PACKAGE.zip

Exit status 0 when every check holds; each failure is printed.
"""

import io
import math
import sys
import zipfile

import sdmx
from pysdmx.io import get_datasets, read_sdmx

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def zh(name):
    return name.localizations.get("zh", "") if name is not None else ""


def main(structure_path, data_path, zip_path):
    # pysdmx: schema-valid structure; data typed by it.
    msg = read_sdmx(structure_path, validate=True)
    check(len(msg.structures) >= 7, f"pysdmx: structure message valid against SDMX-ML 3.0 ({msg})")
    ds = get_datasets(data_path, structure_path)
    check(len(ds) == 1, "pysdmx: one dataset")
    frame = ds[0].data
    check(len(frame) > 0, f"pysdmx: {len(frame)} observations")
    check("double" in str(frame["OBS_VALUE"].dtype) or "float" in str(frame["OBS_VALUE"].dtype),
          f"pysdmx: OBS_VALUE typed as a number ({frame['OBS_VALUE'].dtype})")

    # sdmx1: the dataflow the CSV names, its codelists, labelled observations.
    sm = sdmx.read_sdmx(structure_path)
    flow = sm.dataflow["DF_JILI"]
    check(str(flow.maintainer) == "HUNAN_JILI" and flow.version == "1.0", f"sdmx1: dataflow {flow.urn or flow}")
    dsd = flow.structure
    check([d.id for d in dsd.dimensions.components] == ["REF_AREA", "INDICATOR", "TIME_PERIOD"], "sdmx1: dimensions")
    areas = sm.codelist["CL_REF_AREA"]
    indicators = sm.codelist["CL_INDICATOR"]
    units = sm.codelist["CL_UNIT_MEASURE"]
    status = sm.codelist["CL_OBS_STATUS"]
    check(zh(areas["430100"].name) == "长沙市", "sdmx1: CL_REF_AREA 430100 is 长沙市")
    check(zh(status["P"].name).endswith("（快报）"), "sdmx1: CL_OBS_STATUS P is 快报")

    dm = sdmx.read_sdmx(data_path, structure=flow)
    obs = [o for d in dm.data for o in d.obs]
    check(len(obs) == len(frame), f"sdmx1: {len(obs)} observations, as pysdmx read")
    bad = []
    for o in obs:
        key = o.dimension.get_values()
        area, indicator = (str(v) for v in key[:2])
        try:
            value = float(o.value)
        except (TypeError, ValueError):
            value = math.nan
        attrs = {k: str(v.value) for k, v in o.attrib.items()}
        problems = []
        if math.isnan(value):
            problems.append(f"OBS_VALUE {o.value!r}")
        if area not in areas or not zh(areas[area].name):
            problems.append(f"REF_AREA {area} without a Chinese name")
        if indicator not in indicators or not zh(indicators[indicator].name):
            problems.append(f"INDICATOR {indicator} not in CL_INDICATOR")
        if attrs.get("UNIT_MEASURE") not in units:
            problems.append(f"UNIT_MEASURE {attrs.get('UNIT_MEASURE')}")
        if attrs.get("OBS_STATUS") not in status:
            problems.append(f"OBS_STATUS {attrs.get('OBS_STATUS')}")
        if problems:
            bad.append(f"{key}: {', '.join(problems)}")
    check(not bad, "sdmx1: every observation numeric, labelled and coded" + ("" if not bad else f": {bad[:5]}"))
    series = sdmx.to_pandas(dm.data[0])
    check(series.dtype.kind == "f", f"sdmx1: to_pandas gives numbers ({series.dtype})")
    first = obs[0]
    a = str(first.dimension.get_values()[0])
    print(f"     e.g. {zh(areas[a].name)}（{a}） {zh(indicators[str(first.dimension.get_values()[1])].name)} "
          f"{first.dimension.get_values()[2]} = {float(first.value)} "
          f"{zh(units[str(first.attrib['UNIT_MEASURE'].value)].name)}")

    # The zip carries the same pair.
    with zipfile.ZipFile(zip_path) as z:
        inner_data = z.read("data.sdmx.csv")
        inner_structure = z.read("structure.xml")
    with open(data_path, "rb") as f:
        check(inner_data == f.read(), "zip: data.sdmx.csv is the CSV download")
    inner = sdmx.read_sdmx(io.BytesIO(inner_structure))
    check("DF_JILI" in inner.dataflow, "zip: structure.xml defines DF_JILI")

    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("SDMX: jili's structure and data read typed and labelled")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
