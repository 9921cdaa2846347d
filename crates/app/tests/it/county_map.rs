//! The office's own county map: imported with its 审图号, checked against the catalogue's
//! county codes, refused when it is not a usable GeoJSON, read by anyone afterwards.
#![allow(clippy::unwrap_used)]

use crate::common;

use jili_app::{AppError, Principal, Role};

fn geojson(codes: &[&str]) -> String {
    let features: Vec<String> = codes
        .iter()
        .map(|c| {
            format!(
                r#"{{"type":"Feature","id":"{c}","properties":{{"name":"x"}},"geometry":{{"type":"Polygon","coordinates":[[[112,28],[113,28],[113,29],[112,28]]]}}}}"#
            )
        })
        .collect();
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

#[tokio::test]
async fn a_county_map_is_imported_with_its_approval_number_and_read_by_the_public() {
    let (_db, app) = common::reference_app().await;
    assert!(app.county_map().await.unwrap().is_none());
    let text = geojson(&["430102", "430103", "999999"]);
    let r = app.import_county_map("counties.json", text.as_bytes(), "湘S〔2024〕012号").await.unwrap();
    assert_eq!(r.matched, 2);
    assert_eq!(r.unknown, ["999999"]);
    assert!(r.missing.len() > 100, "the other counties are listed as missing: {}", r.missing.len());
    let public = app.acting_as(Principal::public());
    let (map, approval) = public.county_map().await.unwrap().unwrap();
    assert_eq!(map, text);
    assert_eq!(approval, "湘S〔2024〕012号");
    assert!(app.verify_audit(None).await.unwrap().is_intact());
}

#[tokio::test]
async fn unusable_maps_and_other_roles_are_refused_and_nothing_is_stored() {
    let (_db, app) = common::reference_app().await;
    let events = app.audit_events().await.unwrap().len();
    let (good, foreign) = (geojson(&["430102"]), geojson(&["999999"]));
    let cases: [(&[u8], &str, &str); 5] = [
        (good.as_bytes(), "  ", "审图号"),
        (b"{\"type\": \"FeatureCollection\", \"features\": [", "湘S", "不是有效的 JSON（第 1 行"),
        (br#"{"type":"Feature"}"#, "湘S", "FeatureCollection"),
        (foreign.as_bytes(), "湘S", "没有一个要素的代码是本省的县市区代码"),
        (
            br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{}}]}"#,
            "湘S",
            "第 1 个要素没有区划代码",
        ),
    ];
    for (bytes, approval, expected) in cases {
        let e = app.import_county_map("c.json", bytes, approval).await.unwrap_err();
        assert!(e.to_string().contains(expected), "{e}");
    }
    let lead = app.acting_as(Principal { name: "x".into(), role: Role::Lead("FGW".into()) });
    let e = lead.import_county_map("c.json", geojson(&["430102"]).as_bytes(), "湘S").await.unwrap_err();
    assert!(matches!(e, AppError::Denied(_)));
    assert!(app.county_map().await.unwrap().is_none());
    assert_eq!(app.audit_events().await.unwrap().len(), events, "nothing recorded");
}
