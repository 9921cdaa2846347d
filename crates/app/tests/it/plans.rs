//! The example plans: every one checks structurally; bad plans are rejected with a location.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use jili_model::plan::{AppliesTo, Basis, Category, Plan, Threshold};
use jili_model::{Catalogue, Programme};

async fn context() -> (jili_testkit::TestDb, jili_app::App, Programme, Catalogue) {
    let (db, app) = common::reference_app().await;
    let programme = app.programme(Some(2024)).await.unwrap();
    let catalogue = app.catalogue().await.unwrap();
    (db, app, programme, catalogue)
}

fn all_plans(programme: &Programme, catalogue: &Catalogue) -> Vec<Plan> {
    jili_app::bundled::PLANS
        .iter()
        .map(|(name, text)| Plan::from_toml(name, text, programme, catalogue).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[tokio::test]
async fn every_example_plan_checks_and_covers_its_measure() {
    let (_db, _app, programme, catalogue) = context().await;
    let plans = all_plans(&programme, &catalogue);
    let measures: Vec<u32> = plans.iter().map(|p| p.header.measure).collect();
    assert_eq!(measures, (1..=20).collect::<Vec<_>>());
    for (p, (name, text)) in plans.iter().zip(jili_app::bundled::PLANS) {
        assert!(p.header.example, "{name} must be marked example");
        assert!(text.lines().next().unwrap().contains("示例方案"), "{name} header must say 示例方案");
        assert!((4..=10).contains(&p.indicators.len()), "{name}");
        // Weights sum to 1 in the plan, or within each pillar when the plan has pillars.
        let mut levels: Vec<Option<&str>> = p.pillars.iter().map(|pl| Some(pl.id.as_str())).collect();
        if levels.is_empty() {
            levels.push(None);
        }
        for level in levels {
            let total: f64 = p.indicators.iter().filter(|i| i.pillar.as_deref() == level).map(|i| i.weight).sum();
            assert!((total - 1.0).abs() < 1e-9, "{name} {level:?}: weights sum to {total}");
        }
        let m = programme.measure(p.header.measure).unwrap();
        assert_eq!(p.header.lead, m.lead);
        // 总量、增量、比率: each plan mixes a size measure with a relative one.
        let size = p.indicators.iter().any(|i| matches!(i.basis, Basis::Total | Basis::Increment));
        let relative = p.indicators.iter().any(|i| matches!(i.basis, Basis::Rate | Basis::Level | Basis::Ratio(_)));
        assert!(size && relative, "{name} should mix 总量/增量 with 比率");
        for series in p.series_read() {
            let s = catalogue.series(series).unwrap();
            assert!(catalogue.department(&s.owner).unwrap().provider, "{name}: {series}");
        }
        assert!(p.rewards.iter().all(|r| r.channel == m.channel), "{name}");
    }
}

#[tokio::test]
async fn vetoes_and_individual_indicators_the_notice_implies() {
    let (_db, _app, programme, catalogue) = context().await;
    let plans = all_plans(&programme, &catalogue);
    let plan = |no: u32| &plans[no as usize - 1];
    let safety = plan(16).vetoes.iter().find(|v| v.series == "SAFETY_MAJOR_ACCIDENTS").expect("measure 16 safety veto");
    assert_eq!(safety.threshold, Threshold::Above(0.0));
    assert!(plan(18).vetoes.len() >= 2, "measure 18: systemic risk and major stability incidents");
    let individual = |code: &str| {
        plans
            .iter()
            .flat_map(|p| &p.indicators)
            .any(|i| matches!(&i.applies_to, AppliesTo::Units(u) if u.iter().any(|c| c == code)))
    };
    assert!(individual("431200"), "怀化 陆海新通道");
    assert!(individual("430100"), "长沙 研发中心城市");
    let by_plate =
        plans.iter().flat_map(|p| &p.indicators).filter(|i| matches!(i.applies_to, AppliesTo::Plates(_))).count();
    assert!(by_plate >= 4, "plate-specific characteristic indicators: {by_plate}");
    assert!(plans.iter().flat_map(|p| &p.indicators).any(|i| i.category == Category::Characteristic));
}

#[tokio::test]
async fn an_unknown_series_is_rejected_naming_file_line_and_field_and_nothing_is_stored() {
    let (_db, app, _, _) = context().await;
    let (_, text) = jili_app::bundled::PLANS[2];
    let bad = text.replacen("series = \"IND_VA_GROWTH\"", "series = \"IND_VA_GROWHT\"", 1);
    assert_ne!(bad, text);
    let line = bad.lines().position(|l| l.contains("IND_VA_GROWHT")).unwrap() + 1;
    let err = app.load_plan("bad/measure-03.toml", &bad).await.unwrap_err().to_string();
    assert!(err.contains("bad/measure-03.toml"), "{err}");
    assert!(err.contains(&format!("第 {line} 行")), "{err}");
    assert!(err.contains("字段 indicators.series") && err.contains("IND_VA_GROWHT"), "{err}");
    assert!(err.contains("IND_VA_GROWTH"), "suggests the close match: {err}");
    assert!(app.plans(2024).await.unwrap().is_empty(), "nothing stored");
}

#[tokio::test]
async fn broken_weights_quota_and_lead_are_all_reported_at_once() {
    let (_db, app, _, _) = context().await;
    let (_, text) = jili_app::bundled::PLANS[15];
    let bad = text
        .replacen("lead = \"省应急管理厅\"", "lead = \"省公安厅\"", 1)
        .replacen("weight = 0.2", "weight = 0.9", 1)
        .replacen("\"县市区\" = 10", "\"县区\" = 10", 1);
    let err = app.load_plan("bad/measure-16.toml", &bad).await.unwrap_err().to_string();
    assert!(err.contains("牵头单位是“省应急管理厅”"), "{err}");
    assert!(err.contains("权重之和"), "{err}");
    assert!(err.contains("分组“县区”未在 groups 中定义") && err.contains("分组“县市区”没有设定名额"), "{err}");
    assert!(app.plans(2024).await.unwrap().is_empty());
}

#[tokio::test]
async fn unknown_fields_and_wrong_types_are_syntax_errors() {
    let (_db, app, _, _) = context().await;
    let (_, text) = jili_app::bundled::PLANS[0];
    let bad = text.replacen("[plan]", "[plan]\nbudget_wan = 5", 1);
    let err = app.load_plan("bad.toml", &bad).await.unwrap_err().to_string();
    assert!(err.contains("budget_wan") && err.contains("格式错误"), "{err}");
    let bad = text.replacen("period = 2024", "period = \"二〇二四\"", 1);
    let err = app.load_plan("bad.toml", &bad).await.unwrap_err().to_string();
    assert!(err.contains("bad.toml 第") && err.contains("格式错误"), "{err}");
}

#[tokio::test]
async fn pillars_are_checked_and_reported_together() {
    let (_db, app, programme, catalogue) = context().await;
    // Measure 1 groups its indicators into 共性/功能性/特色性 pillars (50/30/20).
    let plans = all_plans(&programme, &catalogue);
    let weights: Vec<f64> = plans[0].pillars.iter().map(|p| p.weight).collect();
    assert_eq!(weights, [0.5, 0.3, 0.2]);
    assert!(plans[0].indicators.iter().all(|i| i.pillar.is_some()));

    let (_, text) = jili_app::bundled::PLANS[0];
    let bad = text
        .replacen("pillar = \"common\"\nweight = 0.34", "pillar = \"commons\"\nweight = 0.34", 1)
        .replacen("name = \"功能性指标\"\nweight = 0.3", "name = \"功能性指标\"\nweight = 0.4", 1)
        .replacen("weight = 0.65", "weight = 0.6", 1);
    assert_ne!(bad, text);
    let err = app.load_plan("bad/measure-01.toml", &bad).await.unwrap_err().to_string();
    assert!(err.contains("一级指标“commons”未在 pillars 中定义"), "{err}");
    assert!(err.contains("一级指标权重之和为 1.1000"), "{err}");
    assert!(err.contains("“功能性指标”下各指标权重之和为 0.9500"), "{err}");
    assert!(err.contains("“共性指标”下各指标权重之和为 0.6600"), "{err}");
    assert!(app.plans(2024).await.unwrap().is_empty());

    // A plan without pillars may not name one.
    let (_, text) = jili_app::bundled::PLANS[2];
    let bad = text.replacen("weight = 0.2", "pillar = \"x\"\nweight = 0.2", 1);
    let err = app.load_plan("bad/measure-03.toml", &bad).await.unwrap_err().to_string();
    assert!(err.contains("写了 pillar，但方案没有 [[pillars]]"), "{err}");
}

#[tokio::test]
async fn rewards_methods_and_bounds_are_checked() {
    let (_db, app, _, _) = context().await;
    let (_, text) = jili_app::bundled::PLANS[2];
    let bad = text
        .replacen("amount_wan = 500", "amount_wan = 500\npool_wan = 900", 1)
        .replacen("[[vetoes]]", "[method]\nweights = \"merec\"\nweight_spread = 1.5\n\n[[vetoes]]", 1)
        .replacen("basis = \"level\"", "basis = \"level\"\nnormalise = \"goalposts\"", 1);
    let err = app.load_plan("bad/measure-03.toml", &bad).await.unwrap_err().to_string();
    assert!(err.contains("只能写 amount_wan（每个）、tiers_wan（按名次）、pool_wan"), "{err}");
    assert!(err.contains("不能用 MEREC 赋权"), "{err}");
    assert!(err.contains("weight_spread = 1.5"), "{err}");
    assert!(err.contains("须写 bounds = [下限, 上限]"), "{err}");
}

/// Measure 16 with its 县市区 split by the unit table's kind: 市辖区 apart from 县, 县级市 and
/// 自治县. It checks and each county lands in the group of its kind; a kind no unit has, a listed
/// code that does not exist, and a kind left out (so some counties fall in no group) are each
/// reported. (The engine's test `groups_by_kind_and_by_list_of_units` runs such groups.)
#[tokio::test]
async fn peer_groups_by_kind_and_by_list_are_checked_and_split_the_counties() {
    let (_db, _app, programme, catalogue) = context().await;
    let (_, text) = jili_app::bundled::PLANS[15];
    let split = text
        .replacen(
            "[[groups]]\nid = \"县市区\"\nlevels = [\"县市区\"]\n",
            "[[groups]]\nid = \"市辖区\"\nlevels = [\"县市区\"]\nkinds = [\"市辖区\"]\n\n\
             [[groups]]\nid = \"县\"\nlevels = [\"县市区\"]\nkinds = [\"县\", \"县级市\", \"自治县\"]\n",
            1,
        )
        .replacen("\"县市区\" = 10", "\"市辖区\" = 3, \"县\" = 7", 1)
        .replacen("group = \"县市区\"\namount_wan = 100", "group = \"市辖区\"\namount_wan = 100", 1)
        .replacen(
            "channel = \"资金奖励\"\n",
            "channel = \"资金奖励\"\n\n[[rewards]]\ngroup = \"县\"\namount_wan = 100\nchannel = \"资金奖励\"\n",
            1,
        );
    let plan = Plan::from_toml("split.toml", &split, &programme, &catalogue).unwrap_or_else(|e| panic!("{e}"));
    let groups: Vec<(&str, &[String])> = plan.groups.iter().map(|g| (g.id.as_str(), g.kinds.as_slice())).collect();
    assert_eq!(groups.len(), 3, "{groups:?}");

    let typo = split.replacen("kinds = [\"市辖区\"]", "kinds = [\"市辖\"]", 1);
    let err = Plan::from_toml("typo.toml", &typo, &programme, &catalogue).unwrap_err().to_string();
    assert!(err.contains("单位类型“市辖”") && err.contains("groups.kinds"), "{err}");
    let listed = split.replacen("kinds = [\"市辖区\"]", "kinds = [\"市辖区\"]\nunits = [\"430102\", \"439999\"]", 1);
    let err = Plan::from_toml("listed.toml", &listed, &programme, &catalogue).unwrap_err().to_string();
    assert!(err.contains("“439999”不存在") && err.contains("groups.units"), "{err}");
    let partial = split.replacen(", \"自治县\"]", "]", 1);
    let err = Plan::from_toml("partial.toml", &partial, &programme, &catalogue).unwrap_err().to_string();
    assert!(err.contains("不属于任何分组"), "{err}");

    // Every county lands in the group of its kind.
    let district = catalogue.units().find(|u| u.kind == "市辖区").unwrap();
    let county = catalogue.units().find(|u| u.kind == "自治县").unwrap();
    let of = |u: &jili_model::Unit| {
        let member = jili_model::plan::Member { code: &u.code, level: u.level, plate: u.plate, kind: &u.kind };
        plan.groups.iter().filter(|g| g.admits(member)).map(|g| g.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!((of(district), of(county)), (vec!["市辖区".to_string()], vec!["县".to_string()]));
}
