//! Fingerprints of the tables that define features, so a model file can tell whether
//! the build that loads it computes features as the build that trained it did.
//!
//! A fingerprint is FNV-1a 64 over what a table does to every code point of
//! [`CODE_POINTS`], written as `fnv1a64:<16 hex digits>`. It is computed from
//! behavior, not from how a table is laid out: the same answers give the same
//! fingerprint, a changed answer (almost certainly) another one.

/// The code points fingerprints cover: Latin, Greek, Cyrillic, Hebrew and the Arabic
/// blocks (U+0000–U+08FF), general punctuation with the zero-width and direction marks
/// (U+2000–U+206F), and the Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF).
pub(crate) const CODE_POINTS: &[std::ops::RangeInclusive<u32>] = &[
    0x0000..=0x08FF,
    0x2000..=0x206F,
    0xFB50..=0xFDFF,
    0xFE70..=0xFEFF,
];

/// Every char of [`CODE_POINTS`], in order.
pub(crate) fn code_points() -> impl Iterator<Item = char> {
    CODE_POINTS
        .iter()
        .flat_map(|r| r.clone())
        .filter_map(char::from_u32)
}

/// A streaming FNV-1a 64 hash over bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv1a64(u64);

impl Fnv1a64 {
    /// The hash of nothing.
    pub(crate) fn new() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }

    /// Hash `bytes` after what came before.
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The hash as a fingerprint: `fnv1a64:` and 16 lowercase hex digits.
    pub(crate) fn fingerprint(&self) -> String {
        format!("fnv1a64:{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        // From the FNV reference test vectors.
        let hash = |s: &str| {
            let mut h = Fnv1a64::new();
            h.write(s.as_bytes());
            h.fingerprint()
        };
        assert_eq!(hash(""), "fnv1a64:cbf29ce484222325");
        assert_eq!(hash("a"), "fnv1a64:af63dc4c8601ec8c");
        assert_eq!(hash("foobar"), "fnv1a64:85944171f73967e8");
    }

    #[test]
    fn code_points_are_ascending_chars() {
        let cps: Vec<char> = code_points().collect();
        assert!(cps.windows(2).all(|w| w[0] < w[1]));
        assert!(cps.contains(&'\u{0640}') && cps.contains(&'\u{FEFF}'));
    }
}
