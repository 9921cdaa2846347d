//! Seeded synthetic inputs of a given size, for benchmarks and property tests: an ASEM-shaped
//! composite, a large decision matrix, a national-scale snapshot with a plan. Labelled synthetic
//! wherever they appear; never shipped as data.

use crate::rng::SampleRng;
use crate::snapshot::{Snapshot, SnapshotUnit};
use jili_model::composite::{Branch, Composite, DecisionMatrix, Leaf, Node, NodeKind, UnitColumns, UnitTable};
use jili_model::plan::{
    Amount, AppliesTo, Basis, Category, Group, Header, Indicator, Method, MissingRule, Plan, Polarity, Reward,
    Selection,
};
use jili_model::{Direction, Level, Normalise, Plate};

/// A composite shaped like COINr's ASEM example: `units` units, 49 indicators in 8 pillars, 2
/// sub-indices and one index (4 levels), about 2% of values missing.
pub fn asem_like(units: usize, seed: u64) -> (Composite, UnitTable) {
    let pillars = [5, 6, 7, 6, 6, 7, 6, 6];
    let mut rng = SampleRng::new(seed, 0);
    let mut nodes = Vec::new();
    let leaves: usize = pillars.iter().sum();
    let first_pillar = leaves;
    for (p, n) in pillars.iter().enumerate() {
        for i in 0..*n {
            nodes.push(Node {
                code: format!("I{p}_{i}"),
                name: format!("指标 {p}-{i}"),
                level: 1,
                parent: Some(first_pillar + p),
                weight: 1.0,
                kind: NodeKind::Indicator(Leaf {
                    direction: if i % 5 == 4 { Direction::Lower } else { Direction::Higher },
                    ..Leaf::default()
                }),
            });
        }
    }
    let sub = first_pillar + pillars.len();
    for p in 0..pillars.len() {
        nodes.push(aggregate(&format!("P{p}"), 2, Some(sub + p / 5), 1.0));
    }
    nodes.push(aggregate("Conn", 3, Some(sub + 2), 1.0));
    nodes.push(aggregate("Sust", 3, Some(sub + 2), 1.0));
    nodes.push(aggregate("Index", 4, None, 1.0));
    let columns = (0..leaves)
        .map(|_| (0..units).map(|_| if rng.unit() < 0.02 { f64::NAN } else { rng.between(0.0, 1000.0) }).collect())
        .collect();
    let table = UnitTable {
        codes: (0..units).map(|u| format!("U{u:03}")).collect(),
        names: (0..units).map(|u| format!("单位{u}")).collect(),
        columns,
    };
    (Composite { nodes }, table)
}

/// A wide composite for the full pipeline: `indicators` indicators in pillars of ten under one
/// index, about 2% missing, every fourth indicator with a denominator `Pop`, and a group column
/// `G` of four groups (for imputation).
pub fn wide(units: usize, indicators: usize, seed: u64) -> (Composite, UnitTable, UnitColumns) {
    let mut rng = SampleRng::new(seed, 2);
    let pillars = indicators.div_ceil(10);
    let first_pillar = indicators;
    let mut nodes: Vec<Node> = (0..indicators)
        .map(|i| Node {
            code: format!("I{i}"),
            name: format!("指标 {i}"),
            level: 1,
            parent: Some(first_pillar + i / 10),
            weight: 1.0,
            kind: NodeKind::Indicator(Leaf {
                direction: if i % 5 == 4 { Direction::Lower } else { Direction::Higher },
                denominator: (i % 4 == 0).then(|| "Pop".to_string()),
                ..Leaf::default()
            }),
        })
        .collect();
    let root = first_pillar + pillars;
    nodes.extend((0..pillars).map(|p| aggregate(&format!("P{p}"), 2, Some(root), 1.0)));
    nodes.push(aggregate("Index", 3, None, 1.0));
    // Skewed values (a few very large), so that treatment has something to do.
    let columns = (0..indicators)
        .map(|_| {
            (0..units).map(|_| if rng.unit() < 0.02 { f64::NAN } else { rng.between(1.0, 10.0).powi(3) }).collect()
        })
        .collect();
    let table = UnitTable {
        codes: (0..units).map(|u| format!("U{u:04}")).collect(),
        names: (0..units).map(|u| format!("单位{u}")).collect(),
        columns,
    };
    let mut extra = UnitColumns::default();
    extra.groups.insert("G".into(), (0..units).map(|u| Some(format!("g{}", u % 4))).collect());
    extra.denominators.insert("Pop".into(), (0..units).map(|_| rng.between(10.0, 1000.0)).collect());
    (Composite { nodes }, table, extra)
}

fn aggregate(code: &str, level: u32, parent: Option<usize>, weight: f64) -> Node {
    Node { code: code.into(), name: code.into(), level, parent, weight, kind: NodeKind::Aggregate(Branch::default()) }
}

/// A complete positive decision matrix.
pub fn matrix(rows: usize, cols: usize, seed: u64) -> DecisionMatrix {
    let mut rng = SampleRng::new(seed, 1);
    DecisionMatrix {
        alternatives: (0..rows).map(|i| format!("A{i}")).collect(),
        criteria: (0..cols).map(|j| format!("C{j}")).collect(),
        columns: (0..cols).map(|_| (0..rows).map(|_| rng.between(1.0, 100.0)).collect()).collect(),
    }
}

/// A national-scale snapshot: `units` county-level units over four plates, `series` series ×
/// `years` years ending at `last`, about 1% missing; and a plan of ten indicators over it.
pub fn national(units: usize, series: usize, years: i32, last: i32, seed: u64) -> (Snapshot, Plan) {
    let mut rng = SampleRng::new(seed, 2);
    let plates = [Plate::ChangZhuTan, Plate::Dongting, Plate::Xiangnan, Plate::Xiangxi];
    let all: Vec<SnapshotUnit> = (0..units)
        .map(|u| SnapshotUnit {
            code: format!("{:06}", 100000 + u),
            name: format!("县{u}"),
            level: Level::County,
            plate: Some(plates[u % 4]),
            kind: "县".into(),
        })
        .collect();
    let codes: Vec<String> = all.iter().map(|u| u.code.clone()).collect();
    let mut snap = Snapshot::new(all);
    for s in 0..series {
        let name = format!("S{s:03}");
        for code in &codes {
            let mut v = rng.between(10.0, 1000.0);
            for y in (last - years + 1)..=last {
                v *= rng.between(0.95, 1.15);
                if rng.unit() >= 0.01 {
                    snap.insert(&name, code, y, v);
                }
            }
        }
    }
    let bases = [Basis::Total, Basis::Increment, Basis::Rate, Basis::Level, Basis::Average];
    let indicators = (0..10)
        .map(|i| Indicator {
            id: format!("i{i}"),
            name: format!("指标{i}"),
            series: format!("S{:03}", i * (series / 10).max(1) % series.max(1)),
            basis: bases[i % bases.len()].clone(),
            polarity: if i == 9 { Polarity::Lower } else { Polarity::Higher },
            category: Category::Common,
            applies_to: if i == 8 { AppliesTo::Plates(vec![Plate::Xiangxi]) } else { AppliesTo::All },
            pillar: None,
            weight: 0.1,
            normalise: Normalise::Minmax,
            bounds: None,
            target: None,
            outlier: None,
            note: None,
        })
        .collect();
    let groups: Vec<Group> = plates
        .iter()
        .map(|p| Group {
            id: p.as_str().to_string(),
            levels: vec![Level::County],
            plates: vec![*p],
            kinds: Vec::new(),
            units: Vec::new(),
            size: None,
        })
        .collect();
    let plan = Plan {
        header: Header {
            measure: 1,
            year: last,
            title: "合成数据评价（synthetic）".into(),
            lead: "synthetic".into(),
            period: last,
            base: last - 1,
            units: vec![Level::County],
            exclude: Vec::new(),
            example: true,
            missing: MissingRule::Reweight,
            publish_ranking: false,
            publish_vetoes: None,
            note: None,
        },
        selection: Selection {
            quota: groups.iter().map(|g| (g.id.clone(), Some(20))).collect(),
            total: None,
            min_score: None,
            tie_break: vec!["i0".into()],
        },
        rewards: groups
            .iter()
            .map(|g| Reward {
                group: g.id.clone(),
                amount: Amount::Pool(2000),
                channel: "资金奖励".into(),
                items: Vec::new(),
            })
            .collect(),
        groups,
        pillars: Vec::new(),
        indicators,
        vetoes: Vec::new(),
        method: Method::default(),
    };
    (snap, plan)
}
