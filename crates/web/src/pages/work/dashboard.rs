//! `/work`: what the logged-in role can do, with links, and the counts that say what is
//! waiting (flags without a note, plans awaiting review …).

use crate::error::WebResult;
use crate::extract::LoggedIn;
use crate::render::Page;
use jili_app::Role;
use minijinja::context;
use serde::Serialize;

/// A task the role can open: the link and the key of its words (`key` and `key_desc`).
#[derive(Debug, Serialize)]
struct Card {
    href: &'static str,
    key: &'static str,
}

/// A count shown on the dashboard, with where to see the items.
#[derive(Debug, Serialize)]
struct Count {
    key: &'static str,
    value: usize,
    href: &'static str,
}

const fn card(href: &'static str, key: &'static str) -> Card {
    Card { href, key }
}

const fn count(key: &'static str, value: usize, href: &'static str) -> Count {
    Count { key, value, href }
}

/// `GET /work`.
pub(super) async fn dashboard(v: LoggedIn) -> WebResult<Page> {
    let app = &v.app;
    let (cards, counts) = match v.principal().role.clone() {
        Role::Provider(code) => {
            let batches = app.batches_of(&code).await?;
            let flags = app.flags_of(&code).await?;
            let open = flags.iter().filter(|(_, notes)| notes.is_empty()).count();
            let waiting = app.cases_waiting().await?;
            (
                vec![
                    card("/work/upload", "work_upload"),
                    card("/work/batches", "work_batches"),
                    card("/work/flags", "work_flags"),
                    card("/work/cases", "work_cases"),
                    card("/work/grants", "work_grants"),
                    card("/work/jobs", "work_jobs"),
                ],
                vec![
                    count("work_count_batches", batches.len(), "/work/batches"),
                    count("work_count_flags", flags.len(), "/work/flags"),
                    count("work_count_flags_open", open, "/work/flags?open=1"),
                    count("work_count_cases_waiting", waiting, "/work/cases"),
                ],
            )
        }
        Role::Office => {
            let batches = app.batches().await?;
            let review = app.plans_awaiting_review().await?;
            let runs = app.run_count().await?;
            let version = app.published_version(None).await? as usize;
            let cases = app.cases_waiting().await?;
            (
                vec![
                    card("/work/plans", "work_plans"),
                    card("/work/runs", "work_runs"),
                    card("/work/publish", "work_publish"),
                    card("/work/upload", "work_upload"),
                    card("/work/batches", "work_batches"),
                    card("/work/flags", "work_flags"),
                    card("/work/watch", "work_watch"),
                    card("/work/cases", "work_cases"),
                    card("/work/users", "work_users"),
                    card("/work/audit", "work_audit"),
                    card("/work/access", "work_access"),
                    card("/work/results", "work_unit_results"),
                    card("/work/measures", "work_measures"),
                    card("/work/grants", "work_grants"),
                    card("/work/jobs", "work_jobs"),
                ],
                vec![
                    count("work_count_review", review, "/work/plans"),
                    count("work_count_runs", runs, "/work/runs"),
                    count("work_count_version", version, "/work/publish"),
                    count("work_count_batches", batches.len(), "/work/batches"),
                    count("work_count_cases_open", cases, "/work/cases"),
                ],
            )
        }
        Role::Auditor => {
            let events = app.audit_events().await?;
            let batches = app.batches().await?;
            let runs = app.run_count().await?;
            let cases = app.cases_waiting().await?;
            (
                vec![
                    card("/work/audit", "work_audit"),
                    card("/work/access", "work_access"),
                    card("/work/watch", "work_watch"),
                    card("/work/cases", "work_cases"),
                    card("/work/batches", "work_batches"),
                    card("/work/runs", "work_runs"),
                    card("/work/results", "work_unit_results"),
                    card("/work/measures", "work_measures"),
                    card("/work/jobs", "work_jobs"),
                ],
                vec![
                    count("work_count_events", events.len(), "/work/audit"),
                    count("work_count_batches", batches.len(), "/work/batches"),
                    count("work_count_runs", runs, "/work/runs"),
                    count("work_count_cases_open", cases, "/work/cases"),
                ],
            )
        }
        Role::Unit(code) => {
            let standing = app.standing(&code, None).await?;
            let won = standing.iter().filter(|s| s.result.winner).count();
            (
                vec![card("/work/results", "work_results")],
                vec![
                    count("work_count_measures", standing.len(), "/work/results"),
                    count("work_count_won", won, "/work/results"),
                ],
            )
        }
        Role::Lead(_) => (
            vec![
                card("/work/plans", "work_plans"),
                card("/work/measures", "work_measures"),
                card("/work/grants", "work_grants"),
            ],
            Vec::new(),
        ),
        Role::Public => (Vec::new(), Vec::new()),
    };
    let mut cards = cards;
    cards.push(card("/work/account", "work_account"));
    let role_key = format!("work_role_{}", v.principal().role.kind());
    v.page("work/dashboard.html", context! { cards, counts, role_key })
}
