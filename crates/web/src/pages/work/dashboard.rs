//! `/work`: what the logged-in role can do, with links, and the counts that say what is
//! waiting (flags without a note, plans awaiting review …).

use crate::error::WebResult;
use crate::extract::LoggedIn;
use crate::render::Page;
use jili_app::Action;
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

/// `GET /work`: a card for each task the visitor may do, asked of [`jili_app::App::may`] (the
/// page never compares roles), in one order for everyone; the counts likewise, those of the
/// visitor's own department or unit read with its scope.
pub(super) async fn dashboard(v: LoggedIn) -> WebResult<Page> {
    let app = &v.app;
    let scope = v.principal().role.scope();
    let may = |action: Action| app.may(&action);
    let imports = may(Action::Import { owner: scope });
    let reads_data = may(Action::ReadData);
    let all_results = may(Action::ReadResults);
    let audits = may(Action::Audit);
    let publishes = may(Action::Publish);
    // Scoped counts: a provider's own batches and flags, a unit's own results.
    let own_department = !scope.is_empty() && imports;
    let own_unit = !scope.is_empty() && may(Action::ReadUnitResults { unit: scope });
    let reads_funds = app.may_read_funds().await?;

    let cards: Vec<Card> = [
        (may(Action::ReviewPlan) || may(Action::DraftPlan { lead: scope }), card("/work/plans", "work_plans")),
        (all_results, card("/work/runs", "work_runs")),
        (publishes, card("/work/publish", "work_publish")),
        (may(Action::Configure), card("/work/programme", "work_programme")),
        (imports, card("/work/upload", "work_upload")),
        (reads_data || imports, card("/work/batches", "work_batches")),
        (imports, card("/work/flags", "work_flags")),
        (may(Action::Watch), card("/work/watch", "work_watch")),
        (may(Action::ReadCases { provider: scope }), card("/work/cases", "work_cases")),
        (may(Action::ReadBoard), card("/work/board", "work_board")),
        (reads_funds, card("/work/funds", "work_funds")),
        (may(Action::ManageUsers), card("/work/users", "work_users")),
        (audits, card("/work/audit", "work_audit")),
        (audits, card("/work/access", "work_access")),
        (all_results, card("/work/results", "work_unit_results")),
        (!all_results && own_unit, card("/work/results", "work_results")),
        (may(Action::ReadMeasureResults { lead: scope }), card("/work/measures", "work_measures")),
        (may(Action::DecideGrant { owner: scope }), card("/work/grants", "work_grants")),
        // Jobs are started by running every measure, verifying the audit chain and importing.
        (may(Action::Run) || audits || imports, card("/work/jobs", "work_jobs")),
        (may(Action::ManageOwnAccount), card("/work/account", "work_account")),
    ]
    .into_iter()
    .filter_map(|(shown, card)| shown.then_some(card))
    .collect();

    let mut counts = Vec::new();
    // The log's length is the count of one who audits; the office's counts are what waits for it.
    if audits && !publishes {
        counts.push(count("work_count_events", app.audit_events().await?.len(), "/work/audit"));
    }
    if may(Action::ReviewPlan) {
        counts.push(count("work_count_review", app.plans_awaiting_review().await?, "/work/plans"));
    }
    if all_results {
        counts.push(count("work_count_runs", app.run_count().await?, "/work/runs"));
    }
    if publishes {
        counts.push(count("work_count_version", app.published_version(None).await? as usize, "/work/publish"));
    }
    if reads_data {
        counts.push(count("work_count_batches", app.batches().await?.len(), "/work/batches"));
    } else if own_department {
        counts.push(count("work_count_batches", app.batches_of(scope).await?.len(), "/work/batches"));
    }
    if own_department {
        let flags = app.flags_of(scope).await?;
        let open = flags.iter().filter(|(_, notes)| notes.is_empty()).count();
        counts.push(count("work_count_flags", flags.len(), "/work/flags"));
        counts.push(count("work_count_flags_open", open, "/work/flags?open=1"));
    }
    if may(Action::ReadCases { provider: scope }) {
        // The office and the auditor: every open case; a provider: its cases awaiting an answer.
        let key = if may(Action::Watch) { "work_count_cases_open" } else { "work_count_cases_waiting" };
        counts.push(count(key, app.cases_waiting().await?, "/work/cases"));
    }
    if own_unit {
        let standing = app.standing(scope, None).await?;
        let won = standing.iter().filter(|s| s.result.winner).count();
        counts.push(count("work_count_measures", standing.len(), "/work/results"));
        counts.push(count("work_count_won", won, "/work/results"));
    }
    let role_key = format!("work_role_{}", v.principal().role.kind());
    v.page("work/dashboard.html", context! { cards, counts, role_key })
}
