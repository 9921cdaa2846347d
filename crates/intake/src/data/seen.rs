//! Which (series, unit, period) a file has already given, for its duplicates. A million-entry
//! hash set is a million cache misses; here a small map of (series, unit) pairs leads to one
//! bit per period, so the check stays in cache. Where did a key first appear is asked only of
//! a duplicate: the index for that question is built at the first duplicate. A file whose keys
//! would make the bits outgrow the values themselves is checked with the index alone.

use foldhash::HashMap;
use jili_model::Period;

/// A key by ids: series, unit, period.
type Key = (u32, u32, u32);

/// The keys seen so far and, once asked for, where each was.
#[derive(Debug, Default)]
pub(super) struct Seen {
    periods: HashMap<Period, u32>,
    slots: HashMap<(u32, u32), u32>,
    bits: Vec<Vec<u64>>,
    words: usize,
    /// The key of each observation, in order, so the index can be built when first needed.
    keys: Vec<Key>,
    index: Option<HashMap<Key, usize>>,
}

impl Seen {
    /// Room for `n` observations.
    pub fn with_capacity(n: usize) -> Seen {
        Seen { keys: Vec::with_capacity(n), ..Seen::default() }
    }

    /// Record observation `at` under its key, or return the observation that has the key.
    pub fn insert(&mut self, series: u32, unit: u32, period: Period, at: usize) -> Option<usize> {
        let next = self.periods.len() as u32;
        let pid = *self.periods.entry(period).or_insert(next);
        let key = (series, unit, pid);
        if let Some(index) = &mut self.index {
            return match index.get(&key) {
                Some(&earlier) => Some(earlier),
                None => {
                    index.insert(key, at);
                    None
                }
            };
        }
        let slots = self.slots.len() as u32;
        let slot = *self.slots.entry((series, unit)).or_insert(slots) as usize;
        if slot == self.bits.len() {
            self.bits.push(Vec::new());
        }
        let (word, bit) = (pid as usize / 64, 1u64 << (pid % 64));
        let bits = &mut self.bits[slot];
        if word >= bits.len() {
            self.words += word + 1 - bits.len();
            bits.resize(word + 1, 0);
        }
        if bits[word] & bit != 0 {
            return self.earlier(key);
        }
        bits[word] |= bit;
        self.keys.push(key);
        if self.words > 2 * self.keys.len() + 65_536 {
            // Sparse keys (many pairs, many periods): the bits would cost more than an index.
            self.build_index();
        }
        None
    }

    /// The observation that first had `key`: the index is built on the first question.
    fn earlier(&mut self, key: Key) -> Option<usize> {
        self.build_index();
        self.index.as_ref().and_then(|i| i.get(&key).copied())
    }

    fn build_index(&mut self) {
        if self.index.is_none() {
            let mut index = HashMap::with_capacity_and_hasher(self.keys.len(), Default::default());
            for (i, k) in self.keys.iter().enumerate() {
                index.entry(*k).or_insert(i);
            }
            self.index = Some(index);
            self.bits = Vec::new();
            self.keys = Vec::new();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_name_the_first_observation() {
        let mut s = Seen::with_capacity(4);
        assert_eq!(s.insert(1, 1, Period::year(2024), 0), None);
        assert_eq!(s.insert(1, 2, Period::year(2024), 1), None);
        assert_eq!(s.insert(1, 1, Period::year(2023), 2), None);
        assert_eq!(s.insert(1, 2, Period::year(2024), 3), Some(1));
        // After the index is built, both new keys and duplicates still answer.
        assert_eq!(s.insert(2, 1, Period::year(2024), 3), None);
        assert_eq!(s.insert(1, 1, Period::year(2023), 4), Some(2));
        assert_eq!(s.insert(2, 1, Period::year(2024), 5), Some(3));
    }

    #[test]
    fn sparse_keys_fall_back_to_the_index_and_stay_correct() {
        let mut s = Seen::with_capacity(0);
        let mut at = 0;
        for unit in 0..400u32 {
            for year in 0..300i32 {
                // Each pair has its own far-apart period: bits would be mostly empty.
                assert_eq!(s.insert(unit, unit, Period::year(1000 + year * 7 + unit as i32 * 3000), at), None);
                at += 1;
            }
        }
        assert!(s.index.is_some());
        assert_eq!(s.insert(5, 5, Period::year(1000 + 15_000), at), Some(5 * 300));
    }
}
