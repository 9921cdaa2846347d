//! Property tests: programme and plan parsing never panic on damaged files, and their errors
//! point at a line that exists.

use jili_model::ModelError;
use jili_model::Programme;
use jili_model::plan::PlanDraft;
use proptest::prelude::*;

/// An allocation bomb is a failure here, not a pass: the whole test binary may hold at most
/// 1 GiB at once, and an allocation beyond it aborts the run.
#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, 1 << 30);

const PROGRAMME: &str = include_str!("../../../../data/programmes/hunan-2024.toml");
const PLAN: &str = include_str!("../../../../data/plans/2024/measure-16.toml");

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
    fn bounded_plan_parser_never_panics_on_deep_or_wide_input(
        depth in 0usize..200_000,
        open in prop::sample::select(vec!["[", "{", "a = [", "b = {x = "]),
        tail in "[\\[\\]{}=a-z\"' \n]{0,64}",
    ) {
        // Deep nesting is refused before the TOML parser recurses; whatever else arrives is an
        // error with a location or a draft, never a crash.
        let text = format!("{}{}{tail}", PLAN, open.repeat(depth));
        let limits = jili_model::Limits { plan_bytes: 4 * 1024 * 1024, ..jili_model::Limits::default() };
        if let Err(e) = PlanDraft::parse_bounded("deep.toml", &text, &limits) {
            check_located(&e, &text);
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
