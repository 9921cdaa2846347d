//! One rule for time (issue 23): pages show Beijing time, labelled (the footer of every page,
//! and a `<time>` element's title); the UTC instant appears only in a `<time datetime=…>`
//! attribute, for machines. Every page of the demo a visitor and the office can open is scanned
//! for ISO UTC text outside that attribute.
#![allow(clippy::unwrap_used)]

use crate::common::site;
use axum::http::StatusCode;

/// The page's text with every `datetime="…"` attribute removed.
fn without_datetime_attributes(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find(" datetime=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 11..];
        rest = after.find('"').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// ISO 8601 date-times (`2026-11-29T22:32`) in `text`.
fn iso_times(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    (0..b.len())
        .filter(|&i| {
            (0..4).all(|k| digit(i + k))
                && at(i + 4, b'-')
                && digit(i + 5)
                && digit(i + 6)
                && at(i + 7, b'-')
                && digit(i + 8)
                && digit(i + 9)
                && at(i + 10, b'T')
                && digit(i + 11)
                && digit(i + 12)
                && at(i + 13, b':')
        })
        .map(|i| String::from_utf8_lossy(&b[i..(i + 20).min(b.len())]).into_owned())
        .collect()
}

#[test]
fn the_scanner_finds_iso_times_outside_datetime_attributes_only() {
    let page =
        r#"<td><time datetime="2026-11-29T22:32:06Z" title="北京时间（UTC+8）">2026年11月30日 06:32</time></td>"#;
    assert!(iso_times(&without_datetime_attributes(page)).is_empty());
    assert_eq!(iso_times("运行于 2026-11-29T22:32:06Z"), ["2026-11-29T22:32:06Z"]);
}

#[tokio::test]
async fn pages_show_beijing_time_and_keep_utc_for_machines_only() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let public = ["/", "/data", "/releases", "/notice", "/commendations", "/method"];
    let work = [
        "/work",
        "/work/runs",
        "/work/measures",
        "/work/measures/1",
        "/work/publish",
        "/work/audit",
        "/work/access",
        "/work/batches",
        "/work/jobs",
        "/work/board",
        "/work/cases",
        "/work/users",
        "/work/grants",
        "/work/flags",
        "/work/releases",
        "/work/calendar",
        "/work/programme",
    ];
    let mut labelled = 0;
    let pages = pages_of(&s, &office, &public, &work).await;
    let names: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
    eprintln!("scanned {} pages: {names:?}", pages.len());
    assert!(pages.len() >= public.len() + 12, "most pages answer: {names:?}");
    for (path, page) in pages {
        assert!(page.contains("id=\"time-rule\"") && page.contains("页面上的时间均为北京时间"), "{path}: no time rule");
        let stray = iso_times(&without_datetime_attributes(&page));
        assert!(stray.is_empty(), "{path} shows UTC ISO text outside <time datetime>: {stray:?}");
        labelled += page.matches("title=\"北京时间（UTC+8）\">").count();
    }
    assert!(labelled > 0, "some page shows a time");
    for path in ["/work/runs", "/work/audit", "/work/access"] {
        let page = s.get_as(&office, path).await.text();
        let at = page.find("<time datetime=\"").unwrap_or_else(|| panic!("{path} shows no time"));
        let shown = &page[at..at + page[at..].find("</time>").unwrap()];
        assert!(shown.contains("Z\" title=\"北京时间（UTC+8）\">") && shown.contains('年'), "{path}: {shown}");
    }
}

/// Each path that answers 200 (the public's as the public, the rest as the office), with its
/// text. The pages this test is about must answer.
async fn pages_of(
    s: &crate::common::Site,
    office: &crate::common::Session,
    public: &[&str],
    work: &[&str],
) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for path in public {
        let r = s.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        pages.push((path.to_string(), r.text()));
    }
    for path in work {
        let r = s.get_as(office, path).await;
        if ["/work/runs", "/work/audit", "/work/access", "/work/jobs", "/work/publish"].contains(path) {
            assert_eq!(r.status, StatusCode::OK, "{path}");
        }
        if r.status == StatusCode::OK {
            pages.push((path.to_string(), r.text()));
        }
    }
    pages
}
