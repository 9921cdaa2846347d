//! The office's programme page: a 2025-style fixture programme (the CLI's test fixture) is
//! checked and imported through the upload form, shows in the list and on the portal, gets a
//! plan uploaded by its lead, runs and publishes — no code change for a new year.

use crate::common::{Session, Site, publish, site};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

const PROGRAMME_2025: &str = include_str!("../../../cli/tests/fixtures/programme-2025.toml");
const PLAN_2025_1: &str = include_str!("../../../cli/tests/fixtures/plan-2025-measure-01.toml");

/// POST a multipart form: the session's token first, then the text fields, then the file.
async fn upload(s: &Site, who: &Session, path: &str, fields: &[(&str, &str)], file: &str) -> crate::common::Reply {
    let mut body = format!("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n", who.csrf);
    for (name, value) in fields {
        body.push_str(&format!("--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"));
    }
    body.push_str(&format!(
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"programme-2025.toml\"\r\nContent-Type: text/plain\r\n\r\n{file}\r\n--b--\r\n"
    ));
    let req = Request::post(path)
        .header(header::COOKIE, &who.cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
        .body(Body::from(body))
        .unwrap();
    s.send(req).await
}

#[tokio::test]
async fn the_office_imports_a_new_years_programme_through_the_form_and_it_runs() {
    let s = site().await;
    let office = s.login("demo-office").await;
    let page = s.get_as(&office, "/work/programme").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("id=\"programme-2024\"") && !html.contains("id=\"programme-2025\""), "{html}");
    assert!(html.contains("创新型省份建设专项资金"), "the 2024 channels are listed");

    // Only the office may open or post it.
    let fgw = s.login("demo-fgw").await;
    assert_eq!(s.get_as(&fgw, "/work/programme").await.status, StatusCode::FORBIDDEN);
    let r = upload(&s, &fgw, "/work/programme", &[("action", "import")], PROGRAMME_2025).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A file with a mistake: the message names the file, line and field; nothing stored.
    let bad = PROGRAMME_2025.replacen("level = \"县市区\"", "level = \"乡镇\"", 1);
    let r = upload(&s, &office, "/work/programme", &[("action", "import")], &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("programme-2025.toml") && html.contains("乡镇") && html.contains("行"), "{html}");
    assert_eq!(s.app.programme_years().await.unwrap(), vec![2024]);

    // Checked only: the summary, nothing stored.
    let r = upload(&s, &office, "/work/programme", &[("action", "check")], PROGRAMME_2025).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("检查通过：2025年") && html.contains("未保存") && html.contains("县域（县市区"), "{html}");
    assert_eq!(s.app.programme_years().await.unwrap(), vec![2024]);

    // Imported: listed, and the portal shows the new year's measures.
    let r = upload(&s, &office, "/work/programme", &[("action", "import")], PROGRAMME_2025).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("已载入2025年激励方案") && html.contains("id=\"programme-2025\""), "{html}");
    assert!(html.contains("给予一次性资金奖励"), "{html}");
    let again = upload(&s, &office, "/work/programme", &[("action", "import")], PROGRAMME_2025).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().contains("替换已有年度"));
    let home = s.get("/").await.text();
    assert!(home.contains("测试用虚构方案") && home.contains("县域经济"), "the portal shows 2025");

    // The lead uploads its plan for the new year (the editor works on the newest programme).
    let fgw = s.login("demo-fgw").await;
    let r = upload(&s, &fgw, "/work/plans/1/upload", &[], PLAN_2025_1).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let v1 = s.app.plan_version(2025, 1, Some(1)).await.unwrap();
    assert_eq!(v1.plan.rewards[0].channel, "给予一次性资金奖励");

    // Reviewed (four eyes), run and published as the office does.
    s.app.submit_plan(2025, 1).await.unwrap();
    let checker = s.app.acting_as(jili_app::Principal::office("办公厅复核人（测试）"));
    checker.approve_plan(2025, 1, 1, "同意").await.unwrap();
    s.app.publish_plan(2025, 1, 1).await.unwrap();
    s.app.set_budget(2025, 1, "2000", "测试〔2025〕2号").await.unwrap();
    let run = s.app.run(1, &jili_app::RunRequest { year: Some(2025), samples: Some(0), ..Default::default() }).await;
    run.unwrap();
    let p = publish(&s.app, Some(2025), "").await.unwrap();
    assert_eq!((p.year, p.body.measures.len()), (2025, 1));
    assert_eq!(p.body.measures[0].winners.len(), 10);
    // Published through the app, not through this site (as another server would): the site sees
    // it once its facts are older than their freshness (1 s).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let home = s.get("/").await.text();
    assert!(home.contains("2025年度评价结果 · 版本 1") && home.contains("合计 2,000 万元"), "{home}");
}
