//! Property tests: programme and plan parsing never panic on damaged files, and their errors
//! point at a line that exists.

use jili_model::ModelError;
use jili_model::Programme;
use jili_model::plan::PlanDraft;
use proptest::prelude::*;

const PROGRAMME: &str = include_str!("../../../data/programmes/hunan-2024.toml");
const PLAN: &str = include_str!("../../../data/plans/2024/measure-16.toml");

fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    (0..base.len(), 0usize..30, "[ -~一-龥\\n\\[\\]=\"]{0,20}").prop_map(move |(at, cut, insert)| {
        let mut at = at;
        while !base.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + cut).min(base.len());
        while !base.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}{insert}{}", &base[..at], &base[end..])
    })
}

fn check_located(err: &ModelError, text: &str) {
    let lines = text.lines().count() + 1;
    if let Some(at) = err.location() {
        assert!(at.line.is_none_or(|l| l >= 1 && l as usize <= lines), "line {:?} of {lines}: {err}", at.line);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn programme_parser_never_panics(text in mutated(PROGRAMME)) {
        if let Err(e) = Programme::from_toml("p.toml", &text) {
            check_located(&e, &text);
            prop_assert!(e.to_string().contains("p.toml"));
        }
    }

    #[test]
    fn plan_parser_never_panics(text in mutated(PLAN)) {
        if let Err(e) = PlanDraft::parse("m.toml", &text) {
            check_located(&e, &text);
            prop_assert!(e.to_string().contains("m.toml"));
        }
    }
}
