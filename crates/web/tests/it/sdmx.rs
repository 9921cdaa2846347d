//! SDMX with its structure (issue 23): `/sdmx/structure` is an SDMX-ML 3.0 structure message
//! whose codelists hold every code the SDMX-CSV download uses, the CSV names its dataflow, and
//! `/data/download.sdmx.zip` carries both. A real SDMX client reads them in
//! scripts/sdmx/check.sh.
#![allow(clippy::unwrap_used)]

use crate::common::{self, site};
use axum::http::StatusCode;
use std::collections::BTreeSet;
use std::io::Read;

/// The code ids of one codelist of a structure message.
fn codes(xml: &str, list: &str) -> BTreeSet<String> {
    let start = xml.find(&format!("id=\"{list}\"")).unwrap_or_else(|| panic!("no codelist {list}"));
    let body = &xml[start..start + xml[start..].find("</str:Codelist>").unwrap()];
    body.split("<str:Code id=\"").skip(1).map(|c| c[..c.find('"').unwrap()].to_string()).collect()
}

/// The values of one column of an SDMX-CSV text.
fn column(csv_text: &str, name: &str) -> Vec<String> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let i = r.headers().unwrap().iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    r.records().map(|x| x.unwrap()[i].to_string()).collect()
}

#[tokio::test]
async fn the_structure_holds_every_code_the_data_use_and_nothing_confidential() {
    let s = site().await;
    let r = s.get("/sdmx/structure").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/vnd.sdmx.structure+xml; version=3.0.0"), "{r:?}");
    let xml = r.text();
    assert!(xml.contains("xmlns:str=\"http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure\""));
    assert!(xml.contains("<mes:Prepared>") && xml.contains("Z</mes:Prepared>"), "prepared in UTC with Z");

    let data = s.get("/data/download.sdmx.csv").await.text();
    assert!(column(&data, "STRUCTURE_ID").iter().all(|d| d == "HUNAN_JILI:DF_JILI(1.0)"));
    assert!(xml.contains("Dataflow=HUNAN_JILI:DF_JILI(1.0)"), "the dataflow the data name is defined");
    for (col, list) in [
        ("REF_AREA", "CL_REF_AREA"),
        ("INDICATOR", "CL_INDICATOR"),
        ("UNIT_MEASURE", "CL_UNIT_MEASURE"),
        ("OBS_STATUS", "CL_OBS_STATUS"),
    ] {
        let listed = codes(&xml, list);
        let used: BTreeSet<String> = column(&data, col).into_iter().collect();
        assert!(!used.is_empty() && !used.contains(""), "{col} is filled in every row");
        let missing: Vec<&String> = used.difference(&listed).collect();
        assert!(missing.is_empty(), "{col} codes not in {list}: {missing:?}");
    }
    assert!(
        codes(&xml, "CL_REF_AREA").contains("430100") && xml.contains("<com:Name xml:lang=\"zh\">长沙市</com:Name>")
    );
    assert!(codes(&xml, "CL_UNIT_MEASURE").contains("CNY_E8"), "亿元 is coded");

    let catalogue = s.app.catalogue().await.unwrap();
    let indicators = codes(&xml, "CL_INDICATOR");
    for series in catalogue.all_series() {
        assert_eq!(indicators.contains(&series.code), series.public, "{} listed only when public", series.code);
    }
}

#[tokio::test]
async fn the_zip_carries_the_data_and_its_structure() {
    let s: common::Site = site().await;
    let r = s.get("/data/download.sdmx.zip").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/zip");
    assert!(r.header("content-disposition").contains(".sdmx.zip"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.body.clone())).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    };
    let data = read("data.sdmx.csv");
    let structure = read("structure.xml");
    assert_eq!(data, s.get("/data/download.sdmx.csv").await.text(), "the same data as the CSV download");
    assert!(structure.contains("id=\"DSD_JILI\"") && structure.contains("id=\"CL_OBS_STATUS\""));
    let page = s.get("/data").await.text();
    assert!(page.contains("href=\"/sdmx/structure\"") && page.contains("href=\"/data/download.sdmx.zip\""));
}
