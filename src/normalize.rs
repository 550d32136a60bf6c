//! Arabic text normalization.
//!
//! [`Normalizer`] turns raw news text into the canonical form that features are
//! computed from. Every rule can be switched off in [`NormalizeOptions`]; the options
//! are saved in the model file so that `classify` normalizes exactly as `train` did.
//!
//! The normalizer is idempotent: normalizing its own output changes nothing.
//!
//! ```
//! use tasnif::normalize::{Normalizer, NormalizeOptions};
//! let n = Normalizer::new(NormalizeOptions::default());
//! assert_eq!(n.normalize("أعْدَمَ التنظـــيم ٣ رجال في المدينة"), "اعدم التنظيم 3 رجال في المدينه");
//! ```

use serde::{Deserialize, Serialize};

/// Which normalization rules run. All are on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NormalizeOptions {
    /// Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFC, lam-alef ligatures
    /// included) become their base letters.
    pub presentation_forms: bool,
    /// Remove harakat, tanwin, shadda, sukun, hamza and madda marks, dagger alef
    /// (U+0670) and Quranic marks (U+0610–U+061A, U+06D6–U+06ED).
    pub diacritics: bool,
    /// Remove tatweel (U+0640).
    pub tatweel: bool,
    /// أ إ آ ٱ → ا
    pub alef: bool,
    /// ى → ي
    pub alef_maqsura: bool,
    /// ة → ه
    pub teh_marbuta: bool,
    /// ؤ → و, ئ → ي
    pub hamza_carriers: bool,
    /// Persian and Urdu letter forms (ک ی ە ۀ ھ گ پ چ ژ ڤ) → Arabic ones.
    pub persian_forms: bool,
    /// Arabic-Indic and Eastern Arabic-Indic digits → 0–9.
    pub digits: bool,
    /// Arabic punctuation (، ؛ ؟ ٪ ٫ ٬) and typographic quotes (« » “ ”) → ASCII.
    pub punctuation: bool,
    /// Remove zero-width and direction marks (ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM, BOM, soft
    /// hyphen, bidi embeddings and isolates).
    pub zero_width: bool,
    /// Lowercase letters of cased scripts (Latin and the like).
    pub lowercase: bool,
    /// Collapse every run of white space into one space and trim both ends.
    pub collapse_whitespace: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            presentation_forms: true,
            diacritics: true,
            tatweel: true,
            alef: true,
            alef_maqsura: true,
            teh_marbuta: true,
            hamza_carriers: true,
            persian_forms: true,
            digits: true,
            punctuation: true,
            zero_width: true,
            lowercase: true,
            collapse_whitespace: true,
        }
    }
}

impl NormalizeOptions {
    /// Options with every rule off: the normalizer then copies its input.
    pub fn none() -> Self {
        NormalizeOptions {
            presentation_forms: false,
            diacritics: false,
            tatweel: false,
            alef: false,
            alef_maqsura: false,
            teh_marbuta: false,
            hamza_carriers: false,
            persian_forms: false,
            digits: false,
            punctuation: false,
            zero_width: false,
            lowercase: false,
            collapse_whitespace: false,
        }
    }
}

/// Table entry: keep the character as it is.
const KEEP: u32 = u32::MAX;
/// Table entry: drop the character.
const DROP: u32 = u32::MAX - 1;

/// The Arabic normalizer. Build it once; [`Normalizer::normalize_into`] reuses the
/// caller's buffer and does not allocate once the buffer is large enough.
#[derive(Debug, Clone)]
pub struct Normalizer {
    options: NormalizeOptions,
    /// What to do with each code point of the Arabic block U+0600–U+06FF, with the
    /// options folded in: `KEEP`, `DROP` or the code point to write instead.
    arabic: Box<[u32; 256]>,
    /// The same table as output bytes: bits 24.. the length (0, 1 or 2), bits 0..16 the
    /// UTF-8 bytes to write (little-endian), so the hot loop writes without branching
    /// on the kind of rule.
    arabic_out: Box<[u32; 256]>,
    /// ASCII: the byte to write, or `ASCII_SPACE` for white space.
    ascii: [u8; 128],
}

/// `Normalizer::ascii` entry for white space.
const ASCII_SPACE: u8 = 0xFF;

fn arabic_out_table(arabic: &[u32; 256]) -> Box<[u32; 256]> {
    let mut t = Box::new([0u32; 256]);
    for (i, &action) in arabic.iter().enumerate() {
        let cp = 0x0600 + i as u32;
        let out = match action {
            DROP => None,
            KEEP => char::from_u32(cp),
            mapped => char::from_u32(mapped),
        };
        t[i] = match out {
            None => 0,
            Some(c) => {
                let mut buf = [0u8; 4];
                let bytes = c.encode_utf8(&mut buf).as_bytes();
                // The premise of the fast path in `normalize_into`, which writes an entry
                // where it read two bytes: every entry is ASCII or in the Arabic block,
                // one or two bytes. Checked once per `Normalizer::new`, in release too.
                assert!(
                    bytes.len() <= 2,
                    "U+{cp:04X} maps to {c:?}, {} bytes in UTF-8: the Arabic table's entries must be at most 2",
                    bytes.len()
                );
                let lo = bytes[0] as u32 | bytes.get(1).map_or(0, |&b| (b as u32) << 8);
                ((bytes.len() as u32) << 24) | lo
            }
        };
    }
    t
}

fn ascii_table(o: &NormalizeOptions) -> [u8; 128] {
    let t = std::array::from_fn(|b| {
        let b = b as u8;
        if is_ascii_space(b) {
            ASCII_SPACE
        } else if o.lowercase && b.is_ascii_uppercase() {
            b + 32
        } else {
            b
        }
    });
    // The premise of the ASCII fast path in `normalize_into`, which writes an entry as
    // a whole UTF-8 sequence: every entry is an ASCII byte or the space marker.
    assert!(
        t.iter().all(|&e| e.is_ascii() || e == ASCII_SPACE),
        "the ASCII table's entries must be ASCII"
    );
    t
}

/// White space in ASCII, vertical tab included.
#[inline]
fn is_ascii_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0B
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new(NormalizeOptions::default())
    }
}

/// Arabic diacritics: harakat, tanwin, shadda, sukun, hamza and madda marks
/// (U+064B–U+065F), dagger alef (U+0670) and Quranic marks (U+0610–U+061A,
/// U+06D6–U+06ED). The normalizer drops them; the tokenizer counts them as word chars.
pub(crate) const fn is_arabic_diacritic(cp: u32) -> bool {
    matches!(cp, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

/// Whether `b` leads a two-byte UTF-8 sequence of the Arabic block: D8 80 ..= DB BF are
/// exactly U+0600..=U+06FF.
#[inline(always)]
pub(crate) const fn is_arabic_lead(b: u8) -> bool {
    matches!(b, 0xD8..=0xDB)
}

/// The code point minus U+0600 of the two-byte sequence `lead` ([`is_arabic_lead`]),
/// `cont`: the index into a 256-entry table of the Arabic block.
#[inline(always)]
pub(crate) fn arabic_index(lead: u8, cont: u8) -> usize {
    ((((lead & 0x1F) as usize) << 6) | (cont & 0x3F) as usize) - 0x0600
}

fn arabic_block_table(o: &NormalizeOptions) -> Box<[u32; 256]> {
    let mut t = Box::new([KEEP; 256]);
    let mut set = |cp: u32, v: u32| t[(cp - 0x0600) as usize] = v;
    if o.diacritics {
        for cp in 0x0600u32..=0x06FF {
            if is_arabic_diacritic(cp) {
                set(cp, DROP);
            }
        }
    }
    if o.tatweel {
        set(0x0640, DROP);
    }
    if o.zero_width {
        set(0x061C, DROP); // ARABIC LETTER MARK
    }
    if o.alef {
        for cp in [0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673] {
            set(cp, 0x0627);
        }
    }
    if o.alef_maqsura {
        set(0x0649, 0x064A);
    }
    if o.teh_marbuta {
        set(0x0629, 0x0647);
    }
    if o.hamza_carriers {
        set(0x0624, 0x0648);
        set(0x0626, 0x064A);
    }
    if o.persian_forms {
        set(0x06A9, 0x0643); // ک keheh
        set(0x06AA, 0x0643);
        set(0x06AF, 0x0643); // گ gaf
        set(0x06CC, 0x064A); // ی farsi yeh
        set(0x06D0, 0x064A);
        set(0x06D2, 0x064A); // ے yeh barree
        set(0x06D5, 0x0647); // ە ae
        set(0x06C1, 0x0647); // ہ heh goal
        set(0x06BE, 0x0647); // ھ heh doachashmee
        set(0x06C0, 0x0647); // ۀ heh with yeh above
        set(0x067E, 0x0628); // پ peh
        set(0x0686, 0x062C); // چ tcheh
        set(0x0698, 0x0632); // ژ jeh
        set(0x06A4, 0x0641); // ڤ veh
        set(0x06A2, 0x0641);
        set(0x06A7, 0x0642); // Maghrebi qaf
        set(0x06C6, 0x0648);
        set(0x06C7, 0x0648);
        set(0x06C8, 0x0648);
        set(0x06CB, 0x0648);
    }
    if o.digits {
        for d in 0..10 {
            set(0x0660 + d, '0' as u32 + d);
            set(0x06F0 + d, '0' as u32 + d);
        }
    }
    if o.punctuation {
        set(0x060C, ',' as u32); // ،
        set(0x061B, ';' as u32); // ؛
        set(0x061F, '?' as u32); // ؟
        set(0x066A, '%' as u32); // ٪
        set(0x066B, '.' as u32); // ٫ decimal separator
        set(0x066C, ',' as u32); // ٬ thousands separator
        set(0x06D4, '.' as u32); // ۔ Urdu full stop
    }
    t
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

impl Normalizer {
    /// A normalizer with the given options.
    pub fn new(options: NormalizeOptions) -> Self {
        let arabic = arabic_block_table(&options);
        Normalizer {
            arabic_out: arabic_out_table(&arabic),
            ascii: ascii_table(&options),
            arabic,
            options,
        }
    }

    /// The options this normalizer applies.
    pub fn options(&self) -> &NormalizeOptions {
        &self.options
    }

    /// The fingerprint of what this normalizer does to each code point of
    /// [`crate::fingerprint::CODE_POINTS`] on its own (the Arabic block and ASCII
    /// tables built from the options, and the rules for the code points around them):
    /// equal fingerprints mean the same answers. Saved in the model file and compared
    /// on load.
    pub(crate) fn fingerprint(&self) -> String {
        let mut h = crate::fingerprint::Fnv1a64::new();
        let (mut one, mut out) = (String::new(), String::new());
        for c in crate::fingerprint::code_points() {
            one.clear();
            one.push(c);
            self.normalize_into(&one, &mut out);
            h.write(&(c as u32).to_le_bytes());
            h.write(out.as_bytes());
            // 0xFF never occurs in UTF-8: it ends each answer.
            h.write(&[0xFF]);
        }
        h.fingerprint()
    }

    /// Normalize `text` into a new string. Prefer [`Normalizer::normalize_into`] in loops.
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::new();
        self.normalize_into(text, &mut out);
        out
    }

    /// Normalize `text` into `out`, which is cleared first.
    pub fn normalize_into(&self, text: &str, out: &mut String) {
        let collapse = self.options.collapse_whitespace;
        let bytes = text.as_bytes();
        out.clear();
        let mut buf = std::mem::take(out).into_bytes();
        // Invariant of the fast paths below: the spare capacity past `w` is at least the
        // input left plus 4 bytes, since they never write more bytes than they read.
        buf.reserve(bytes.len() + 4);
        let mut w = 0usize;
        // `space_ok`: with collapsing on, whether a space may follow what is written so
        // far (not at the start, not after a space).
        let mut space_ok = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let dst = buf.as_mut_ptr();
            if b < 0x80 {
                let e = self.ascii[b as usize];
                let byte = if e != ASCII_SPACE {
                    space_ok = true;
                    Some(e)
                } else if !collapse {
                    Some(b)
                } else if space_ok {
                    space_ok = false;
                    Some(b' ')
                } else {
                    None
                };
                if let Some(byte) = byte {
                    // SAFETY: one byte was read, so by the invariant `w < capacity` and
                    // the write stays inside the allocation. `byte` is ASCII (the table's
                    // entries are, asserted in `ascii_table`; `b` and `b' '` are), so it
                    // is a whole UTF-8 sequence.
                    unsafe { dst.add(w).write(byte) };
                    w += 1;
                }
                i += 1;
            } else if is_arabic_lead(b) && i + 1 < bytes.len() {
                let e = self.arabic_out[arabic_index(b, bytes[i + 1])];
                let len = (e >> 24) as usize;
                // SAFETY: two bytes were read, so by the invariant at least two bytes of
                // spare capacity lie past `w` and the write stays inside the allocation
                // (unaligned, as `[u8; 2]` may start anywhere). `len <= 2` (asserted in
                // `arabic_out_table`, once per `Normalizer::new`), so only the first
                // `len` bytes, a whole UTF-8 sequence, count as written; the rest is
                // overwritten or cut off by the final `set_len`.
                unsafe { (dst.add(w) as *mut [u8; 2]).write_unaligned([e as u8, (e >> 8) as u8]) };
                w += len;
                space_ok |= len > 0;
                i += 2;
            } else {
                // Other non-ASCII: decode one char (text is valid UTF-8, `i` is on a boundary)
                // and hand it to the slow path on a proper String.
                let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                // SAFETY: `w <= capacity` (the invariant), and every byte of `buf[..w]`
                // was written: by `String` before the loop or by the writes above.
                unsafe { buf.set_len(w) };
                // SAFETY: `buf` (now `w` long) holds whole UTF-8 sequences only: each
                // write above is one, or the first bytes of a `[u8; 2]` write that the
                // next write or `set_len` cuts back to one.
                let mut s = unsafe { String::from_utf8_unchecked(buf) };
                self.push_other(
                    c,
                    &mut Writer {
                        out: &mut s,
                        collapse,
                    },
                );
                i += c.len_utf8();
                space_ok = !s.is_empty() && !s.ends_with(' ');
                buf = s.into_bytes();
                w = buf.len();
                buf.reserve(bytes.len() - i + 4);
            }
        }
        // SAFETY: `w <= capacity` (the invariant), and every byte of `buf[..w]` was
        // written, by the loop or by `String` in its slow-path branch.
        unsafe { buf.set_len(w) };
        // SAFETY: `buf` holds whole UTF-8 sequences only, as in the slow-path branch:
        // the normalized text.
        *out = unsafe { String::from_utf8_unchecked(buf) };
        debug_assert!(std::str::from_utf8(out.as_bytes()).is_ok());
        if collapse && out.ends_with(' ') {
            out.pop();
        }
    }

    /// What [`Normalizer::normalize_into`] computes, the slow and plain way: each char
    /// through the rules one at a time ([`Normalizer::push_mapped`]), with no byte
    /// tables and no `unsafe`. Not part of the API: the reference that the property
    /// tests and the `normalize` fuzz target compare the fast path with.
    #[doc(hidden)]
    pub fn normalize_reference_into(&self, text: &str, out: &mut String) {
        out.clear();
        let collapse = self.options.collapse_whitespace;
        let mut w = Writer { out, collapse };
        for c in text.chars() {
            self.push_mapped(c, &mut w);
        }
        if collapse && out.ends_with(' ') {
            out.pop();
        }
    }

    #[inline]
    fn push_ascii(&self, b: u8, w: &mut Writer<'_>) {
        if is_ascii_space(b) {
            w.push_space(b as char);
        } else if self.options.lowercase && b.is_ascii_uppercase() {
            w.push_char((b + 32) as char);
        } else {
            w.push_char(b as char);
        }
    }

    /// One char after mapping: routes it through the Arabic table or the ASCII rules.
    fn push_mapped(&self, c: char, w: &mut Writer<'_>) {
        let cp = c as u32;
        if cp < 0x80 {
            self.push_ascii(cp as u8, w);
        } else if (0x0600..=0x06FF).contains(&cp) {
            match self.arabic[(cp - 0x0600) as usize] {
                KEEP => w.push_char(c),
                DROP => {}
                mapped => w.push_char(char::from_u32(mapped).unwrap_or('\u{FFFD}')),
            }
        } else {
            self.push_other(c, w);
        }
    }

    fn push_other(&self, c: char, w: &mut Writer<'_>) {
        let o = &self.options;
        if o.zero_width && is_zero_width(c) {
            return;
        }
        if o.presentation_forms && is_presentation_form(c) {
            let mut any = false;
            unicode_normalization::char::decompose_compatible(c, |d| {
                any = true;
                if d != c {
                    self.push_mapped(d, w);
                } else {
                    w.push_char(d);
                }
            });
            if !any {
                w.push_char(c);
            }
            return;
        }
        if c.is_whitespace() {
            w.push_space(c);
            return;
        }
        if o.punctuation {
            match c {
                '«' | '»' | '“' | '”' | '„' | '‟' | '″' => return w.push_char('"'),
                '‘' | '’' | '‚' | '‛' | '′' => return w.push_char('\''),
                _ => {}
            }
        }
        if o.lowercase && c.is_uppercase() {
            for l in c.to_lowercase() {
                w.push_char(l);
            }
            return;
        }
        w.push_char(c);
    }
}

/// Output for the slow paths, with white-space collapsing.
struct Writer<'a> {
    out: &'a mut String,
    collapse: bool,
}

impl Writer<'_> {
    #[inline]
    fn push_char(&mut self, c: char) {
        self.out.push(c);
    }
    /// A white-space char: with collapsing, one space at most in a row and none at the
    /// start (a trailing one is removed at the end).
    #[inline]
    fn push_space(&mut self, c: char) {
        if !self.collapse {
            self.out.push(c);
        } else if !self.out.is_empty() && !self.out.ends_with(' ') {
            self.out.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        input: &'static str,
        want: &'static str,
    }

    const CASES: &[Case] = &[
        Case {
            name: "harakat, shadda, tanwin, sukun",
            input: "قُتِلَ مُسَلَّحٌ وَاحِدٌ",
            want: "قتل مسلح واحد",
        },
        Case {
            name: "dagger alef and quranic marks",
            input: "هٰذا الرَّحْمٰنِ ۖ",
            want: "هذا الرحمن",
        },
        Case {
            name: "tatweel",
            input: "داعـــش والتنظـيم",
            want: "داعش والتنظيم",
        },
        Case {
            name: "alef forms",
            input: "أعدم إعدام آلاف ٱلله",
            want: "اعدم اعدام الاف الله",
        },
        Case {
            name: "alef maqsura",
            input: "على مستوى فى الذى",
            want: "علي مستوي في الذي",
        },
        Case {
            name: "teh marbuta",
            input: "مدينة الموصل القديمة",
            want: "مدينه الموصل القديمه",
        },
        Case {
            name: "hamza carriers",
            input: "مؤسسة رئيس",
            want: "موسسه رييس",
        },
        Case {
            name: "standalone hamza is kept",
            input: "سماء جزء",
            want: "سماء جزء",
        },
        Case {
            name: "persian forms",
            input: "کتاب ی گروه ە",
            want: "كتاب ي كروه ه",
        },
        Case {
            name: "arabic-indic digits",
            input: "قتل ١٥ شخصا عام ٢٠١٦",
            want: "قتل 15 شخصا عام 2016",
        },
        Case {
            name: "eastern arabic-indic digits",
            input: "۱۲۳۴۵۶۷۸۹۰",
            want: "1234567890",
        },
        Case {
            name: "arabic punctuation",
            input: "قال، ثم؛ لماذا؟ ٪٥ ٣٫٥",
            want: "قال, ثم; لماذا? %5 3.5",
        },
        Case {
            name: "guillemets",
            input: "«الدولة»",
            want: "\"الدوله\"",
        },
        Case {
            name: "zero-width and direction marks",
            input: "دا\u{200C}عش\u{200F} \u{200E}الرقة\u{061C}\u{FEFF}",
            want: "داعش الرقه",
        },
        Case {
            name: "presentation forms",
            input: "\u{FEB3}\u{FEE0}\u{FE8E}\u{FEE1}",
            want: "سلام",
        },
        Case {
            name: "lam-alef ligatures",
            input: "\u{FEFB} \u{FEF7}",
            want: "لا لا",
        },
        Case {
            name: "lowercase latin",
            input: "ISIS و CNN Arabic",
            want: "isis و cnn arabic",
        },
        Case {
            name: "collapse white space",
            input: "  قوات\t\tالنظام \n\n تقدمت  ",
            want: "قوات النظام تقدمت",
        },
        Case {
            name: "no-break space",
            input: "قوات\u{00A0}النظام",
            want: "قوات النظام",
        },
        Case {
            name: "empty",
            input: "",
            want: "",
        },
        Case {
            name: "only marks",
            input: "\u{064E}\u{0640}\u{200B}",
            want: "",
        },
    ];

    #[test]
    fn table() {
        let n = Normalizer::default();
        for case in CASES {
            assert_eq!(n.normalize(case.input), case.want, "case: {}", case.name);
        }
    }

    #[test]
    fn the_fingerprint_follows_what_the_rules_do() {
        let fp = |o: NormalizeOptions| Normalizer::new(o).fingerprint();
        let default = fp(NormalizeOptions::default());
        assert_eq!(default, fp(NormalizeOptions::default()));
        // A rule on a table entry, one on a range outside the tables.
        for off in [
            NormalizeOptions {
                alef: false,
                ..Default::default()
            },
            NormalizeOptions {
                presentation_forms: false,
                ..Default::default()
            },
        ] {
            assert_ne!(fp(off), default, "{off:?}");
        }
    }

    #[test]
    fn idempotent_on_cases() {
        let n = Normalizer::default();
        for case in CASES {
            let once = n.normalize(case.input);
            assert_eq!(n.normalize(&once), once, "case: {}", case.name);
        }
    }

    #[test]
    fn each_option_can_be_turned_off() {
        let none = Normalizer::new(NormalizeOptions::none());
        for case in CASES {
            assert_eq!(
                none.normalize(case.input),
                case.input,
                "case: {}",
                case.name
            );
        }
        let keep_alef = Normalizer::new(NormalizeOptions {
            alef: false,
            ..Default::default()
        });
        assert_eq!(keep_alef.normalize("أعدم"), "أعدم");
        let keep_teh = Normalizer::new(NormalizeOptions {
            teh_marbuta: false,
            ..Default::default()
        });
        assert_eq!(keep_teh.normalize("مدينة"), "مدينة");
        let keep_digits = Normalizer::new(NormalizeOptions {
            digits: false,
            ..Default::default()
        });
        assert_eq!(keep_digits.normalize("١٥"), "١٥");
    }

    #[test]
    fn fast_path_agrees_with_the_reference_on_cases() {
        for o in [NormalizeOptions::default(), NormalizeOptions::none()] {
            let n = Normalizer::new(o);
            let mut want = String::new();
            for case in CASES {
                n.normalize_reference_into(case.input, &mut want);
                assert_eq!(n.normalize(case.input), want, "case: {}", case.name);
            }
        }
    }

    #[test]
    fn fast_path_agrees_with_the_reference_on_every_code_point() {
        // Each code point first, then between letters and spaces, under each option set
        // with one rule off: the Arabic and ASCII tables, presentation forms, marks.
        let rules: [fn(&mut NormalizeOptions) -> &mut bool; 13] = [
            |o| &mut o.presentation_forms,
            |o| &mut o.diacritics,
            |o| &mut o.tatweel,
            |o| &mut o.alef,
            |o| &mut o.alef_maqsura,
            |o| &mut o.teh_marbuta,
            |o| &mut o.hamza_carriers,
            |o| &mut o.persian_forms,
            |o| &mut o.digits,
            |o| &mut o.punctuation,
            |o| &mut o.zero_width,
            |o| &mut o.lowercase,
            |o| &mut o.collapse_whitespace,
        ];
        let mut sets = vec![NormalizeOptions::default(), NormalizeOptions::none()];
        for rule in rules {
            let mut o = NormalizeOptions::default();
            *rule(&mut o) = false;
            sets.push(o);
        }
        let (mut text, mut got, mut want) = (String::new(), String::new(), String::new());
        for o in sets {
            let n = Normalizer::new(o);
            for c in (0..0x3000u32)
                .chain(0xFB00..=0xFFFF)
                .filter_map(char::from_u32)
            {
                for pattern in [" ", "ب ", " ا"] {
                    text.clear();
                    text.push(c);
                    text.push_str(pattern);
                    text.push(c);
                    text.push_str(pattern);
                    n.normalize_into(&text, &mut got);
                    n.normalize_reference_into(&text, &mut want);
                    assert_eq!(got, want, "U+{:04X} in {text:?}, {o:?}", c as u32);
                }
            }
        }
    }

    #[test]
    fn buffer_is_reused() {
        let n = Normalizer::default();
        let mut buf = String::with_capacity(64);
        n.normalize_into("قوات", &mut buf);
        n.normalize_into("جيش", &mut buf);
        assert_eq!(buf, "جيش");
    }
}
