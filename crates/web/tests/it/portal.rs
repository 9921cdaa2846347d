//! The public portal on the demo database and its first publication: the programme and its
//! reward totals, a measure's winners and map, a unit's profile, the data downloads without
//! confidential series, the cache with its entity tags, the English frame and escaping.
#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::site;
use jili_app::Publication;
use std::io::Cursor;

async fn publication(s: &common::Site) -> Publication {
    s.app.published(None).await.unwrap().expect("the demo has a publication")
}

/// The `data-wan` value of the element with `id`.
fn wan_of(page: &str, id: &str) -> u64 {
    let at = page.find(&format!("id=\"{id}\" data-wan=\"")).unwrap_or_else(|| panic!("no #{id}"));
    let rest = &page[at + id.len() + 16..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

/// A published measure of the demo that evaluates 市州 and does not publish its ranking.
fn city_measure(p: &Publication) -> &jili_app::publication::publish::PublishedMeasure {
    p.body
        .measures
        .iter()
        .find(|m| m.ranking.is_none() && m.winners.iter().any(|w| w.code.ends_with("00") && w.award_wan.is_some()))
        .expect("a city-level measure")
}

#[tokio::test]
async fn the_home_page_lists_the_20_measures_and_totals_the_published_awards() {
    let s = site().await;
    let p = publication(&s).await;
    let r = s.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    for n in 1..=20 {
        assert!(page.contains(&format!("id=\"measure-{n}\"")), "measure {n} listed");
        assert!(page.contains(&format!("href=\"/measures/{n}\"")));
    }
    assert!(!page.contains("id=\"measure-21\""));
    let awarded: u64 = p.body.measures.iter().flat_map(|m| &m.winners).filter_map(|w| w.award_wan).sum();
    assert!(awarded > 0);
    assert_eq!(wan_of(&page, "grand-total"), awarded);
    assert!(page.contains(&format!("{} · ", p.version)) || page.contains(&format!("版本 {}", p.version)));
    assert!(page.contains("【演示】"), "the demo badge");

    let api = s.get("/api/programme").await.json();
    assert_eq!(api["measures"].as_array().unwrap().len(), 20);
    assert_eq!(api["total_wan"].as_u64().unwrap(), awarded);
    let cities = api["cities"].as_array().unwrap();
    assert_eq!(cities.len(), 14);
    let by_city: u64 = cities.iter().map(|c| c["total_wan"].as_u64().unwrap()).sum();
    assert_eq!(by_city, awarded, "every award lands in one 市州's total");
    for c in cities {
        let sum = c["city_wan"].as_u64().unwrap() + c["counties_wan"].as_u64().unwrap();
        assert_eq!(sum, c["total_wan"].as_u64().unwrap());
    }
    let counties: u64 = api["counties"].as_array().unwrap().iter().map(|c| c["total_wan"].as_u64().unwrap()).sum();
    let city_own: u64 = cities.iter().map(|c| c["city_wan"].as_u64().unwrap()).sum();
    assert!(counties + city_own <= awarded);
}

#[tokio::test]
async fn a_measure_page_shows_its_winners_map_and_no_unpublished_ranking() {
    let s = site().await;
    let p = publication(&s).await;
    let m = city_measure(&p);
    let page = s.get(&format!("/measures/{}", m.measure)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let page = page.text();
    for w in &m.winners {
        assert!(page.contains(&w.name), "winner {} shown", w.name);
        if let Some(a) = w.award_wan {
            assert!(page.contains(&jili_web::render::format_wan(&a.to_string())), "award of {}", w.name);
        }
    }
    assert!(page.contains("万元"));
    assert!(page.contains(r#"<div id="city-map" class="chart" data-map="/assets/map/hunan.json?v="#));
    let at = page.find(r#"<script type="application/json" id="city-map-data">"#).unwrap();
    let rest = &page[at..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    let items: serde_json::Value = serde_json::from_str(json).unwrap();
    let codes: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 14);
    assert!(codes.contains(&"430100") && codes.contains(&"433100"));
    // Scores only for units the publication names.
    for i in items.as_array().unwrap() {
        let named = m.winners.iter().any(|w| w.code == i["code"].as_str().unwrap());
        assert_eq!(!i["value"].is_null(), named, "{i}");
    }
    assert!(page.contains("示意图"));
    assert!(!page.contains("id=\"ranking\""), "the plan does not publish its ranking");
    assert!(page.contains("id=\"ranking-not-published\""));
    assert!(page.contains("id=\"indicators\"") && page.contains("数据来源"));
    assert!(page.contains("/assets/charts.js"));

    let api = s.get(&format!("/api/measures/{}", m.measure)).await.json();
    assert!(api["plan"]["indicators"].as_array().is_some_and(|i| !i.is_empty()));
    assert_eq!(api["no"], m.measure);
    assert!(api["ranking"].is_null());
    assert_eq!(s.get("/measures/99").await.status, StatusCode::NOT_FOUND);
    assert!(!page.contains("id=\"county-map\""), "no county map imported, none offered");
}

/// The robustness table's rank intervals are whole ranks (`3–6`, never `3–6.0`), around the
/// published quantiles.
#[tokio::test]
async fn rank_intervals_are_whole_ranks_around_the_quantiles() {
    let s = site().await;
    let p = publication(&s).await;
    let mut seen = 0;
    for m in &p.body.measures {
        let Some(r) = s.app.published_robustness(Some(2024), m.measure).await.unwrap() else { continue };
        let page = s.get(&format!("/measures/{}", m.measure)).await.text();
        let Some(table) = page.find("<caption>名次区间") else { continue };
        let table = &page[table..];
        for band in &r.units {
            let Some(at) = table.find(&format!("<th scope=\"row\">{}</th>", band.name)) else { continue };
            let page = table;
            let cell = &page[at..];
            let cell = &cell[cell.find("class=\"bar-cell\">").unwrap() + 17..];
            let shown = &cell[..cell.find('\n').unwrap()];
            let (from, to) = shown.split_once('–').unwrap();
            let (from, to): (u32, u32) = (from.parse().unwrap(), to.parse().unwrap());
            assert!(
                f64::from(from) <= band.rank_q05 + 1e-9 && band.rank_q95 - 1e-9 <= f64::from(to),
                "{shown}: {band:?}"
            );
            assert!(band.rank_q05 - f64::from(from) < 1.0 && f64::from(to) - band.rank_q95 < 1.0, "{shown}: {band:?}");
            seen += 1;
        }
    }
    assert!(seen > 0, "the demo publishes some robustness bands");
}

#[tokio::test]
async fn a_measure_page_is_cached_for_the_public_with_an_etag_and_304() {
    let s = site().await;
    let first = s.get("/measures/3").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("x-cache"), "miss");
    assert_eq!(first.header("cache-control"), "public, max-age=60");
    let etag = first.header("etag");
    assert!(etag.starts_with('"'));
    let second = s.get("/measures/3").await;
    assert_eq!(second.header("x-cache"), "hit");
    assert_eq!(second.header("etag"), etag);
    assert_eq!(second.body, first.body);
    let req = Request::get("/measures/3").header(header::IF_NONE_MATCH, &etag).body(Body::empty()).unwrap();
    let third = s.send(req).await;
    assert_eq!(third.status, StatusCode::NOT_MODIFIED);
    assert!(third.body.is_empty());
    // The English page is another entry.
    let en = s.get("/measures/3?lang=en").await;
    assert_eq!(en.header("x-cache"), "miss");
    assert_ne!(en.header("etag"), etag);
    // A logged-in visitor gets a fresh page, not stored for others.
    let office = s.login("demo-office").await;
    let r = s.get_as(&office, "/measures/3").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("cache-control"), "private, no-store");
    assert!(r.header("etag").is_empty());
}

#[tokio::test]
async fn the_public_api_is_cached_like_the_pages_and_a_logged_in_caller_s_is_not() {
    let s = site().await;
    for path in ["/api/measures/3", "/api/units/430100", "/api/programme"] {
        let first = s.get(path).await;
        assert_eq!((first.status, first.header("x-cache")), (StatusCode::OK, "miss".into()), "{path}");
        assert_eq!(first.header("content-type"), "application/json", "{path}");
        assert_eq!(first.header("cache-control"), "public, max-age=60", "{path}");
        let second = s.get(path).await;
        assert_eq!(second.header("x-cache"), "hit", "{path}");
        assert_eq!((second.body.clone(), second.header("etag")), (first.body.clone(), first.header("etag")));
        first.json();
        let req = Request::get(path).header(header::IF_NONE_MATCH, first.header("etag")).body(Body::empty()).unwrap();
        assert_eq!(s.send(req).await.status, StatusCode::NOT_MODIFIED, "{path}");
    }
    // A city's own result is in its answer, never in the public one, and not stored for others.
    let public = s.get("/api/measures/3").await.json();
    assert!(public["own"].is_null());
    let token = s.api_token("demo-changsha").await;
    let own = s.get_json(&token, "/api/measures/3").await;
    assert_eq!(own.header("cache-control"), "private, no-store");
    assert_eq!(own.json()["own"]["measure"], 3, "{}", own.text());
    assert!(s.get("/api/measures/3").await.json()["own"].is_null());
    // Errors stay JSON and are not cached.
    let missing = s.get("/api/measures/99").await;
    assert_eq!((missing.status, missing.json()["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    assert!(missing.header("x-cache").is_empty());
}

#[tokio::test]
async fn a_unit_sees_its_own_place_and_the_public_does_not() {
    let s = site().await;
    let public = s.get("/measures/3").await.text();
    assert!(!public.contains("id=\"own-result\""));
    let changsha = s.login("demo-changsha").await;
    let page = s.get_as(&changsha, "/measures/3").await.text();
    assert!(page.contains("id=\"own-result\""), "{page}");
    let unit = s.get_as(&changsha, "/units/430100").await.text();
    assert!(unit.contains("id=\"standing\""));
    let unit = s.get("/units/430100").await.text();
    assert!(!unit.contains("id=\"standing\""), "explanations are not public");
}

#[tokio::test]
async fn a_unit_profile_shows_its_data_against_its_peers_and_its_rewards() {
    let s = site().await;
    let p = publication(&s).await;
    let r = s.get("/units/430100").await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    assert!(page.contains("长沙市") && page.contains("长株潭"));
    assert!(page.contains("id=\"unit-latest\"") && page.contains("id=\"unit-trend\""));
    let won: Vec<_> = p.body.measures.iter().filter(|m| m.winners.iter().any(|w| w.code == "430100")).collect();
    let api = s.get("/api/units/430100").await.json();
    assert_eq!(api["rewards"].as_array().unwrap().len(), won.len());
    let latest = api["latest"].as_array().unwrap();
    assert!(!latest.is_empty());
    assert!(latest.iter().all(|l| l["peers"].as_u64().unwrap() >= 1 && !l["median"].is_null()));
    assert_eq!(s.get("/units/999999").await.status, StatusCode::NOT_FOUND);
}

/// The series that must never be published.
async fn confidential(s: &common::Site) -> Vec<String> {
    let c = s.app.catalogue().await.unwrap();
    let codes: Vec<String> = c.all_series().filter(|x| !x.public).map(|x| x.code.clone()).collect();
    assert!(!codes.is_empty());
    codes
}

fn has_code(text: &str, code: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|w| w == code)
}

#[tokio::test]
async fn the_data_downloads_parse_and_hold_no_confidential_series() {
    let s = site().await;
    let secret = confidential(&s).await;
    let p = publication(&s).await;

    let csv = s.get("/data/download.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let cd = csv.header("content-disposition");
    assert!(cd.starts_with("attachment;") && cd.contains("filename=\"") && cd.contains("filename*=UTF-8''"), "{cd}");
    assert!(csv.body.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    let text = String::from_utf8(csv.body[3..].to_vec()).unwrap();
    assert!(text.starts_with("数据项代码,数据项,单位代码,单位,时期,数值,计量单位"));
    assert_eq!(text.lines().count(), p.body.data.len() + 1);

    let xlsx = s.get("/data/download.xlsx").await;
    assert!(xlsx.header("content-type").contains("spreadsheetml"));
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(Cursor::new(xlsx.body.clone())).unwrap();
    let sheet = book.worksheet_range("主要指标数据").unwrap();
    assert_eq!(sheet.get((0, 0)).unwrap().to_string(), "数据项代码");
    assert_eq!(sheet.height(), p.body.data.len() + 1);

    let json = s.get("/data/download.json").await;
    assert!(json.header("content-type").starts_with("application/json"));
    let values = json.json()["values"].as_array().unwrap().len();
    assert_eq!(values, p.body.data.len());

    let sdmx = s.get("/data/download.sdmx.csv").await;
    let sdmx_text = sdmx.text();
    assert!(sdmx_text.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE"));

    let page = s.get("/data").await.text();
    assert!(page.contains("<label for=\"series\">") && page.contains("id=\"data-table\""));
    let xlsx_text: String = sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string() + " ")).collect();
    for code in &secret {
        for (what, body) in
            [("csv", &text), ("json", &json.text()), ("sdmx", &sdmx_text), ("page", &page), ("xlsx", &xlsx_text)]
        {
            assert!(!has_code(body, code), "{code} in the {what} download");
        }
        let r = s.get(&format!("/data?series={code}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{code} cannot be chosen");
        let r = s.get(&format!("/api/data?series={code}")).await;
        assert_eq!(r.json()["code"], "not_found");
    }
}

#[tokio::test]
async fn the_english_switch_translates_the_frame() {
    let s = site().await;
    let page = s.get("/?lang=en").await.text();
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("Rewards by city") && page.contains("Lead department"));
    let method = s.get("/method?lang=en").await.text();
    assert!(method.contains("Robustness") && method.contains("Monte Carlo"));
    let method = s.get("/method").await.text();
    assert!(method.contains("稳健性检验") && method.contains("无扰评价"));
}

#[tokio::test]
async fn user_text_is_escaped() {
    let s = site().await;
    s.app.commend(2024, "430200", "省政府综合督查", "<script>alert(1)</script>“一网通办”").await.unwrap();
    common::publish(&s.app, Some(2024), "增加通报表扬").await.unwrap();
    let page = s.get("/commendations").await.text();
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;") || page.contains("&lt;script&gt;alert(1)"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"));
    let api = s.get("/api/commendations").await.json();
    assert!(api["commendations"].as_array().unwrap().iter().any(|c| c["unit"] == "430200"));
}

#[tokio::test]
async fn the_notice_is_a_printable_page_and_a_docx() {
    let s = site().await;
    let page = s.get("/notice").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(page.contains("id=\"notice\"") && page.contains("id=\"annex\""));
    // The name list by default, as the province publishes it; the score tables on request.
    assert!(page.contains("成效明显的地区名单") && !page.contains("<table") && page.contains("id=\"provenance\""));
    let scores = s.get("/notice?annex=scores").await;
    assert_eq!(scores.status, StatusCode::OK);
    assert!(scores.text().contains("<table") && scores.text().contains("及评价得分"));
    assert_eq!(s.get("/notice?annex=ranks").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let with_scores = s.get("/notice.docx?annex=scores").await;
    assert_eq!(with_scores.status, StatusCode::OK);
    assert!(with_scores.header("content-disposition").contains("scores"));
    let docx = s.get("/notice.docx").await;
    assert_eq!(docx.status, StatusCode::OK);
    assert_eq!(docx.header("content-type"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert!(docx.body.starts_with(b"PK"), "a zip");
    assert!(docx.header("content-disposition").contains(".docx"));
    let publication = s.get("/api/publication").await.json();
    assert_eq!(publication["year"], 2024);
}

#[tokio::test]
async fn a_published_ranking_is_a_table_of_links_to_the_units() {
    let s = site().await;
    let p = publication(&s).await;
    let Some(m) = p.body.measures.iter().find(|m| m.ranking.is_some()) else {
        panic!("the demo has a plan that publishes its ranking")
    };
    let page = s.get(&format!("/measures/{}", m.measure)).await.text();
    let at = page.find("<table id=\"ranking\">").expect("the ranking table");
    let table = &page[at..at + page[at..].find("</table>").unwrap()];
    let ranked = m.ranking.as_ref().unwrap();
    assert_eq!(table.matches("<tr data-code=").count(), ranked.len());
    for u in ranked {
        assert!(table.contains(&format!("<a href=\"/units/{}\">", u.code)), "{} links to its page", u.name);
    }
    // Its scores appear on the unit's public page.
    let unit = s.get(&format!("/api/units/{}", ranked[0].code)).await.json();
    assert!(unit["scores"].as_array().unwrap().iter().any(|r| r["measure"] == m.measure));
}

#[tokio::test]
async fn unknown_query_parameters_do_not_make_new_cache_entries() {
    let s = site().await;
    let first = s.get("/measures/3").await;
    assert_eq!(first.header("x-cache"), "miss");
    let junk = s.get("/measures/3?junk=1").await;
    assert_eq!(junk.status, StatusCode::OK);
    assert_eq!(junk.header("x-cache"), "hit", "an unknown parameter is ignored for the key");
    assert_eq!(junk.header("etag"), first.header("etag"));
    assert_eq!(s.get("/measures/3?a=1&b=2").await.header("x-cache"), "hit");
    assert_eq!(s.get("/measures/003").await.header("x-cache"), "hit", "the route as parsed");
    // A parameter the route accepts is part of the key, in any order among unknown ones.
    let year = s.get("/measures/3?year=2024").await;
    assert_eq!(year.header("x-cache"), "miss");
    assert_eq!(s.get("/measures/3?zz=1&year=2024").await.header("x-cache"), "hit");
    // A bad value of an accepted parameter is refused, not stored.
    assert_eq!(s.get("/measures/3?year=abc").await.status, StatusCode::BAD_REQUEST);
    let data = s.get("/api/data").await.json();
    let series = data["series"][0]["code"].as_str().unwrap().to_string();
    assert_eq!(s.get(&format!("/data?series={series}")).await.header("x-cache"), "miss");
    let again = s.get(&format!("/data?utm_source=x&series={series}")).await;
    assert_eq!(again.header("x-cache"), "hit");
    assert_eq!(s.get("/data?series=NO_SUCH").await.status, StatusCode::NOT_FOUND);
}

/// Whether `text` holds a Chinese character or full-width punctuation.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'))
}

/// The text of every `<tag …>…</tag>` in `page`, tags inside removed.
fn texts_of(page: &str, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find(&format!("<{tag}")) {
        let after = &rest[at + tag.len() + 1..];
        if !after.starts_with(['>', ' ']) {
            rest = after;
            continue;
        }
        let end = after.find(&format!("</{tag}>")).unwrap();
        let inner = &after[after.find('>').unwrap() + 1..end];
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        out.push(text);
        rest = &after[end..];
    }
    out
}

#[tokio::test]
async fn the_english_measure_page_has_no_chinese_in_its_headings_and_labels() {
    let s = site().await;
    let changsha = s.login("demo-changsha").await;
    let p = publication(&s).await;
    for m in &p.body.measures {
        let path = format!("/measures/{}?lang=en", m.measure);
        let page = s.get_as(&changsha, &path).await.text();
        let api = s.get(&format!("/api/measures/{}", m.measure)).await.json();
        // Data keep their Chinese names: the measure's, its groups', the plan's title.
        let mut data: Vec<String> = vec![api["short"].as_str().unwrap().to_string()];
        data.extend(api["groups"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap().to_string()));
        data.push(api["plan"]["title"].as_str().unwrap_or_default().to_string());
        data.push(s.app.catalogue().await.unwrap().unit("430100").unwrap().name.clone());
        // Money is written by the shared `wan` filter in 万元 / 亿元 in both languages.
        data.extend(["万元".to_string(), "亿元".to_string()]);
        let strip =
            |t: &str| data.iter().filter(|d| !d.is_empty()).fold(t.to_string(), |t, d| t.replace(d.as_str(), ""));
        for tag in ["h1", "h2", "h3", "dt", "caption", "label", "summary"] {
            for text in texts_of(&page, tag) {
                assert!(!has_chinese(&strip(&text)), "{path}: <{tag}> {text}");
            }
        }
        for th in page.split("<th scope=\"col\"").skip(1) {
            let text = &th[th.find('>').unwrap() + 1..th.find("</th>").unwrap()];
            assert!(!has_chinese(text), "{path}: column {text}");
        }
        for zh in
            ["还差", "高出第一个未入选单位", "列入入选名单", "不予入选", "【示例方案】", "次模拟", "最后按单位代码"]
        {
            assert!(!page.contains(zh), "{path}: {zh}");
        }
    }
    // The Chinese page keeps its words.
    let zh = s.get_as(&changsha, &format!("/measures/{}", p.body.measures[0].measure)).await.text();
    assert!(zh.contains("【示例方案】") && zh.contains("次模拟"), "the Chinese plan text");
}

/// A county that did not win can see why the winners' ranks skip numbers (vetoed units), and
/// a downloaded file of demo data says so in its name.
#[tokio::test]
async fn vetoes_explain_rank_gaps_and_demo_downloads_are_named_demo() {
    let s = site().await;
    let p = publication(&s).await;
    let vetoed = p.body.measures.iter().find(|m| m.vetoed_total() > 0).expect("the demo vetoes someone");
    let page = s.get(&format!("/measures/{}", vetoed.measure)).await.text();
    assert!(page.contains("id=\"rank-gaps\"") && page.contains("被一票否决的单位不能入选"), "{page}");
    let clean = p.body.measures.iter().find(|m| m.vetoed_total() == 0).expect("some measure vetoes nobody");
    assert!(!s.get(&format!("/measures/{}", clean.measure)).await.text().contains("id=\"rank-gaps\""));
    assert!(p.body.demo);
    for ext in ["csv", "sdmx.csv", "xlsx", "json"] {
        let r = s.get(&format!("/data/download.{ext}")).await;
        let disposition = r.header("content-disposition");
        assert!(disposition.contains("jili-demo-data-"), "{ext}: {disposition}");
        assert!(disposition.contains("%E3%80%90%E6%BC%94%E7%A4%BA"), "【演示 in the UTF-8 name: {disposition}");
    }
}

/// The notice: 强化正向激励, 不得随意约谈问责. By default the public learns how many units a
/// veto kept out, never which (the issue's 浏阳市 with score 56.94 and rank 93): the page and
/// the API are built from one published view and say the same; a plan reading confidential
/// series publishes no score.
#[tokio::test]
async fn vetoed_units_are_counted_not_named_and_the_page_and_api_agree() {
    let s = site().await;
    let p = publication(&s).await;
    let mut checked = 0;
    for m in p.body.measures.iter().filter(|m| m.vetoed_total() > 0) {
        // Who was vetoed, from the run (the office's view).
        let run = s.app.raw_store().run(m.run).await.unwrap().unwrap();
        let result: serde_json::Value = serde_json::from_str(&run.result).unwrap();
        let names: Vec<String> = result["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["outcome"] == "vetoed")
            .map(|u| u["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names.len(), m.vetoed_total());
        let page = s.get(&format!("/measures/{}", m.measure)).await.text();
        let api = s.get(&format!("/api/measures/{}", m.measure)).await.json();
        assert_eq!(api["vetoed_count"], names.len(), "measure {}", m.measure);
        assert_eq!(api["vetoed"], serde_json::json!([]), "measure {}: named in the API", m.measure);
        let count = format!("<strong>{}</strong> 个单位因一票否决未参加评选", names.len());
        assert!(page.contains(&count), "measure {}: the page does not say {count}", m.measure);
        // The 市州 map lists every 市州 (winner or not, no veto): the rest may not name them.
        let mut rest = api.clone();
        rest["city_map"] = serde_json::Value::Null;
        let api_text = rest.to_string();
        let winners: Vec<&str> = m.winners.iter().map(|w| w.name.as_str()).collect();
        for name in names.iter().filter(|n| !winners.contains(&n.as_str())) {
            assert!(!api_text.contains(name.as_str()), "measure {}: the API names vetoed {name}", m.measure);
            let vetoes = &page[page.find("id=\"vetoed-count\"").unwrap()..];
            assert!(!vetoes[..vetoes.find("</p>").unwrap()].contains(name.as_str()));
        }
        // The page shows what the API holds: the same winners, with the same scores or none.
        for g in api["groups"].as_array().unwrap() {
            for w in g["winners"].as_array().unwrap() {
                let name = w["name"].as_str().unwrap();
                assert!(page.contains(name), "measure {}: {name} in the API, not on the page", m.measure);
                if api["scores_withheld"] == true {
                    assert!(w["score"].is_null(), "measure {}: a score of {name} published", m.measure);
                }
            }
        }
        assert_eq!(page.contains("id=\"scores-withheld\""), api["scores_withheld"] == true);
        checked += 1;
    }
    assert!(checked >= 2, "the demo vetoes units in several measures ({checked})");
    // Some demo plan reads confidential series (measure 17, 财政厅's debt data): no score.
    let debt = s.get("/api/measures/17").await.json();
    assert_eq!(debt["scores_withheld"], true);
}

/// After a correction, each measure page says whether this measure's result was among what was
/// corrected: the measure whose plan and run changed says 结果更正, the others 未变.
#[tokio::test]
async fn a_measure_page_traces_corrections_of_its_result() {
    let s = site().await;
    let first = s.get("/measures/3").await.text();
    assert!(first.contains("id=\"measure-releases\"") && first.contains("首次发布"), "{first}");
    // The office re-runs measure 3 alone (a new run, the same plan) and publishes a correction.
    s.app.run(3, &jili_app::RunRequest { seed: 7, ..Default::default() }).await.unwrap();
    common::publish(&s.app, Some(2024), "第3条重新运行").await.unwrap();
    let m3 = s.get("/measures/3").await.text();
    let m4 = s.get("/measures/4").await.text();
    let rows = |page: &str| page[page.find("id=\"measure-releases\"").unwrap()..].to_string();
    assert!(rows(&m3).contains("结果更正") && rows(&m3).contains("第3条重新运行"), "{}", rows(&m3));
    assert!(rows(&m4).contains("未变") && !rows(&m4).contains("结果更正"), "{}", rows(&m4));
}

/// County tiles carry the map's colour scale: the best published score the darkest shade, the
/// lowest the lightest, a tile without a published score none.
#[tokio::test]
async fn county_tiles_are_shaded_by_score() {
    let s = site().await;
    let p = publication(&s).await;
    let mut seen = 0;
    for m in &p.body.measures {
        let api = s.get(&format!("/api/measures/{}", m.measure)).await.json();
        let Some(tiles) = api["county_tiles"].as_array().filter(|t| t.len() > 1) else { continue };
        let scored: Vec<&serde_json::Value> = tiles.iter().filter(|t| t["score"].is_f64()).collect();
        let best = scored.iter().max_by(|a, b| a["score"].as_f64().partial_cmp(&b["score"].as_f64()).unwrap());
        let worst = scored.iter().min_by(|a, b| a["score"].as_f64().partial_cmp(&b["score"].as_f64()).unwrap());
        let (Some(best), Some(worst)) = (best, worst) else { continue };
        if best["score"] == worst["score"] {
            continue;
        }
        assert_eq!(best["shade"], 3, "{best}");
        assert_eq!(worst["shade"], 0, "{worst}");
        assert!(tiles.iter().all(|t| t["score"].is_f64() == t["shade"].is_u64()), "{tiles:?}");
        let page = s.get(&format!("/measures/{}", m.measure)).await.text();
        let code = best["code"].as_str().unwrap();
        assert!(page.contains(&format!("<li data-code=\"{code}\" class=\"shade-3\">")), "{code} darkest on the page");
        seen += 1;
    }
    assert!(seen > 0, "some measure shows county tiles with different scores");
}
