//! Whether Python 3.11's `re.compile(pattern)` accepts a pattern: the `"format": "regex"` check the
//! library's checker applies to `pattern` and `patternProperties` keys (jsonschema's Draft-7 format
//! checker). A port of the error paths of CPython's `re._parser` (and the one error of
//! `re._compiler`: look-behinds must have a fixed width), so `(?<n>a)`, `\p{L}` or `[` are refused as
//! in Python even though other engines take them.
//!
//! Known approximations: `\N{NAME}` accepts any non-empty name made of letters, digits, spaces and
//! hyphens (Python looks it up in the Unicode database); group names use Rust's alphabetic /
//! alphanumeric classes for `str.isidentifier`.

const MAXREPEAT: u128 = 4_294_967_295;
const MAXWIDTH: u128 = 1 << 64;
const MAXCODE: u128 = 4_294_967_295;
const MAXGROUPS: usize = 1_073_741_823;

const FLAG_I: u32 = 2;
const FLAG_L: u32 = 4;
const FLAG_M: u32 = 8;
const FLAG_S: u32 = 16;
const FLAG_U: u32 = 32;
const FLAG_X: u32 = 64;
const FLAG_A: u32 = 256;
const FLAG_T: u32 = 1;
const TYPE_FLAGS: u32 = FLAG_A | FLAG_L | FLAG_U;
const GLOBAL_FLAGS: u32 = FLAG_T; // DEBUG cannot be written inline

fn flag(c: char) -> Option<u32> {
    Some(match c {
        'i' => FLAG_I,
        'L' => FLAG_L,
        'm' => FLAG_M,
        's' => FLAG_S,
        'x' => FLAG_X,
        'a' => FLAG_A,
        't' => FLAG_T,
        'u' => FLAG_U,
        _ => return None,
    })
}

/// Checks a pattern; `Err` carries Python's message.
pub fn compile(pattern: &str) -> Result<(), String> {
    let mut source = Tokenizer::new(pattern)?;
    let mut state = State::default();
    let p = parse_sub(&mut source, &mut state, false, 0)?;
    if state.flags & FLAG_A != 0 && state.flags & FLAG_U != 0 {
        return Err("ASCII and UNICODE flags are incompatible".into());
    }
    if source.next.is_some() {
        return Err("unbalanced parenthesis".into());
    }
    if let Some(g) = state.grouprefpos.iter().find(|g| **g >= state.groups()) {
        return Err(format!("invalid group reference {g}"));
    }
    if state.flags & FLAG_T != 0 && p.has_repeat {
        return Err("internal: unsupported template operator".into());
    }
    Ok(())
}

pub fn is_valid(pattern: &str) -> bool {
    compile(pattern).is_ok()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    Ch(char),
    Esc(char),
}

impl Tok {
    fn len(self) -> usize {
        match self {
            Tok::Ch(_) => 1,
            Tok::Esc(_) => 2,
        }
    }
    fn is(self, c: char) -> bool {
        self == Tok::Ch(c)
    }
    fn in_set(self, set: &str) -> bool {
        matches!(self, Tok::Ch(c) if set.contains(c))
    }
}

struct Tokenizer {
    chars: Vec<char>,
    index: usize,
    next: Option<Tok>,
}

impl Tokenizer {
    fn new(s: &str) -> Result<Self, String> {
        let mut t = Tokenizer {
            chars: s.chars().collect(),
            index: 0,
            next: None,
        };
        t.advance()?;
        Ok(t)
    }
    fn advance(&mut self) -> Result<(), String> {
        let Some(&c) = self.chars.get(self.index) else {
            self.next = None;
            return Ok(());
        };
        if c == '\\' {
            let Some(&d) = self.chars.get(self.index + 1) else {
                return Err("bad escape (end of pattern)".into());
            };
            self.index += 2;
            self.next = Some(Tok::Esc(d));
        } else {
            self.index += 1;
            self.next = Some(Tok::Ch(c));
        }
        Ok(())
    }
    fn get(&mut self) -> Result<Option<Tok>, String> {
        let this = self.next;
        self.advance()?;
        Ok(this)
    }
    fn matches(&mut self, c: char) -> Result<bool, String> {
        if self.next == Some(Tok::Ch(c)) {
            self.advance()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }
    fn tell(&self) -> usize {
        self.index - self.next.map_or(0, Tok::len)
    }
    fn seek(&mut self, index: usize) -> Result<(), String> {
        self.index = index;
        self.advance()
    }
    /// Up to `n` plain characters from `set`.
    fn getwhile(&mut self, n: usize, set: fn(char) -> bool) -> Result<String, String> {
        let mut out = String::new();
        for _ in 0..n {
            match self.next {
                Some(Tok::Ch(c)) if set(c) => {
                    out.push(c);
                    self.advance()?;
                }
                _ => break,
            }
        }
        Ok(out)
    }
    fn getuntil(&mut self, terminator: char, name: &str) -> Result<String, String> {
        let mut out = String::new();
        loop {
            let c = self.next;
            self.advance()?;
            match c {
                None if out.is_empty() => return Err(format!("missing {name}")),
                None => return Err(format!("missing {terminator}, unterminated name")),
                Some(Tok::Ch(t)) if t == terminator => {
                    if out.is_empty() {
                        return Err(format!("missing {name}"));
                    }
                    return Ok(out);
                }
                Some(Tok::Ch(t)) => out.push(t),
                Some(Tok::Esc(t)) => {
                    out.push('\\');
                    out.push(t);
                }
            }
        }
    }
}

#[derive(Default)]
struct State {
    flags: u32,
    groupdict: std::collections::HashMap<String, usize>,
    /// Width of each group once closed (index 0 is the whole pattern).
    groupwidths: Vec<Option<(u128, u128)>>,
    lookbehindgroups: Option<usize>,
    grouprefpos: Vec<usize>,
}

impl State {
    fn groups(&self) -> usize {
        self.groupwidths.len().max(1)
    }
    fn ensure_init(&mut self) {
        if self.groupwidths.is_empty() {
            self.groupwidths.push(None);
        }
    }
    fn opengroup(&mut self, name: Option<&str>) -> Result<usize, String> {
        self.ensure_init();
        let gid = self.groups();
        self.groupwidths.push(None);
        if self.groups() > MAXGROUPS {
            return Err("too many groups".into());
        }
        if let Some(name) = name {
            if let Some(o) = self.groupdict.get(name) {
                return Err(format!(
                    "redefinition of group name {name:?} as group {gid}; was group {o}"
                ));
            }
            self.groupdict.insert(name.to_string(), gid);
        }
        Ok(gid)
    }
    fn checkgroup(&self, gid: usize) -> bool {
        gid < self.groups() && self.groupwidths.get(gid).copied().flatten().is_some()
    }
    fn checklookbehindgroup(&self, gid: usize) -> Result<(), String> {
        if let Some(lb) = self.lookbehindgroups {
            if !self.checkgroup(gid) {
                return Err("cannot refer to an open group".into());
            }
            if gid >= lb {
                return Err(
                    "cannot refer to group defined in the same lookbehind subpattern".into(),
                );
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    At,
    Repeat,
    /// `(?:...)` without flags: repeating it repeats its contents.
    PlainGroup,
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Item {
    kind: Kind,
    lo: u128,
    hi: u128,
}

impl Item {
    fn unit() -> Self {
        Item {
            kind: Kind::Other,
            lo: 1,
            hi: 1,
        }
    }
    fn zero(kind: Kind) -> Self {
        Item { kind, lo: 0, hi: 0 }
    }
}

/// A parsed sequence: only what error checks need (last item kind, width, whether it repeats).
#[derive(Default, Clone)]
struct Sub {
    items: Vec<Item>,
    has_repeat: bool,
}

impl Sub {
    fn width(&self) -> (u128, u128) {
        let (mut lo, mut hi) = (0u128, 0u128);
        for i in &self.items {
            lo = lo.saturating_add(i.lo);
            hi = hi.saturating_add(i.hi);
        }
        (lo.min(MAXWIDTH), hi.min(MAXWIDTH))
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}
fn is_oct(c: char) -> bool {
    ('0'..='7').contains(&c)
}
fn is_hex(c: char) -> bool {
    c.is_ascii_hexdigit()
}
fn is_py_space_ascii(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
}

/// A group name must be a Python identifier (`str.isidentifier()`).
fn is_identifier(s: &str) -> bool {
    crate::core::naming::is_python_name(s)
}

/// What an escape stands for.
enum Code {
    Literal(u32),
    /// A class like `\d` (a unit, but not a range end).
    In,
    At,
    GroupRef(usize),
}

fn hex_escape(source: &mut Tokenizer, kind: char) -> Result<Code, String> {
    let n = match kind {
        'x' => 2,
        'u' => 4,
        _ => 8,
    };
    let digits = source.getwhile(n, is_hex)?;
    if digits.len() != n {
        return Err(format!("incomplete escape \\{kind}{digits}"));
    }
    let v = u32::from_str_radix(&digits, 16).map_err(|_| format!("bad escape \\{kind}{digits}"))?;
    if kind == 'U' && v > 0x10FFFF {
        return Err(format!("bad escape \\{kind}{digits}"));
    }
    Ok(Code::Literal(v))
}

fn named_escape(source: &mut Tokenizer) -> Result<Code, String> {
    if !source.matches('{')? {
        return Err("missing {".into());
    }
    let name = source.getuntil('}', "character name")?;
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    {
        Ok(Code::Literal(0))
    } else {
        Err(format!("undefined character name {name:?}"))
    }
}

fn class_escape(source: &mut Tokenizer, c: char) -> Result<Code, String> {
    match c {
        'a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | '\\' => return Ok(Code::Literal(c as u32)),
        'd' | 'D' | 's' | 'S' | 'w' | 'W' => return Ok(Code::In),
        'x' | 'u' | 'U' => return hex_escape(source, c),
        'N' => return named_escape(source),
        _ => {}
    }
    if is_oct(c) {
        let more = source.getwhile(2, is_oct)?;
        let v = u32::from_str_radix(&format!("{c}{more}"), 8).unwrap_or(u32::MAX);
        if v > 0o377 {
            return Err(format!(
                "octal escape value \\{c}{more} outside of range 0-0o377"
            ));
        }
        return Ok(Code::Literal(v));
    }
    if c.is_ascii_digit() || c.is_ascii_alphabetic() {
        return Err(format!("bad escape \\{c}"));
    }
    Ok(Code::Literal(c as u32))
}

fn escape(source: &mut Tokenizer, c: char, state: &State) -> Result<Code, String> {
    match c {
        'A' | 'b' | 'B' | 'Z' => return Ok(Code::At),
        'd' | 'D' | 's' | 'S' | 'w' | 'W' => return Ok(Code::In),
        'a' | 'f' | 'n' | 'r' | 't' | 'v' | '\\' => return Ok(Code::Literal(c as u32)),
        'x' | 'u' | 'U' => return hex_escape(source, c),
        'N' => return named_escape(source),
        '0' => {
            let more = source.getwhile(2, is_oct)?;
            return Ok(Code::Literal(
                u32::from_str_radix(&format!("0{more}"), 8).unwrap_or(0),
            ));
        }
        _ => {}
    }
    if c.is_ascii_digit() {
        let mut digits = c.to_string();
        if let Some(Tok::Ch(d)) = source
            .next
            .filter(|t| matches!(t, Tok::Ch(d) if d.is_ascii_digit()))
        {
            source.advance()?;
            digits.push(d);
            if is_oct(c) && is_oct(d) {
                if let Some(Tok::Ch(e)) = source
                    .next
                    .filter(|t| matches!(t, Tok::Ch(e) if is_oct(*e)))
                {
                    source.advance()?;
                    digits.push(e);
                    let v = u32::from_str_radix(&digits, 8).unwrap_or(u32::MAX);
                    if v > 0o377 {
                        return Err(format!(
                            "octal escape value \\{digits} outside of range 0-0o377"
                        ));
                    }
                    return Ok(Code::Literal(v));
                }
            }
        }
        let group: usize = digits.parse().unwrap_or(usize::MAX);
        if group < state.groups() {
            if !state.checkgroup(group) {
                return Err("cannot refer to an open group".into());
            }
            state.checklookbehindgroup(group)?;
            return Ok(Code::GroupRef(group));
        }
        return Err(format!("invalid group reference {group}"));
    }
    if c.is_ascii_alphabetic() {
        return Err(format!("bad escape \\{c}"));
    }
    Ok(Code::Literal(c as u32))
}

fn code_item(code: Code, state: &State) -> Item {
    match code {
        Code::Literal(_) | Code::In => Item::unit(),
        Code::At => Item::zero(Kind::At),
        Code::GroupRef(g) => {
            let (lo, hi) = state
                .groupwidths
                .get(g)
                .copied()
                .flatten()
                .unwrap_or((0, 0));
            Item {
                kind: Kind::Other,
                lo,
                hi,
            }
        }
    }
}

/// An alternation `a|b|c`.
fn parse_sub(
    source: &mut Tokenizer,
    state: &mut State,
    verbose: bool,
    nested: usize,
) -> Result<Sub, String> {
    state.ensure_init();
    let mut alternatives: Vec<Sub> = Vec::new();
    let mut verbose = verbose;
    loop {
        let first = nested == 0 && alternatives.is_empty();
        alternatives.push(parse(source, state, verbose, nested + 1, first)?);
        if !source.matches('|')? {
            break;
        }
        if nested == 0 {
            verbose = state.flags & FLAG_X != 0;
        }
    }
    if alternatives.len() == 1 {
        return Ok(alternatives.pop().expect("one alternative"));
    }
    let (mut lo, mut hi) = (MAXWIDTH, 0u128);
    let mut has_repeat = false;
    for a in &alternatives {
        let (l, h) = a.width();
        lo = lo.min(l);
        hi = hi.max(h);
        has_repeat |= a.has_repeat;
    }
    Ok(Sub {
        items: vec![Item {
            kind: Kind::Other,
            lo,
            hi,
        }],
        has_repeat,
    })
}

fn parse(
    source: &mut Tokenizer,
    state: &mut State,
    verbose: bool,
    nested: usize,
    first: bool,
) -> Result<Sub, String> {
    let mut sub = Sub::default();
    let mut verbose = verbose;
    while let Some(this) = source.next {
        if this.in_set("|)") {
            break;
        }
        source.get()?;
        if verbose {
            if matches!(this, Tok::Ch(c) if is_py_space_ascii(c)) {
                continue;
            }
            if this.is('#') {
                loop {
                    match source.get()? {
                        None | Some(Tok::Ch('\n')) => break,
                        _ => {}
                    }
                }
                continue;
            }
        }
        match this {
            Tok::Esc(c) => {
                let code = escape(source, c, state)?;
                sub.items.push(code_item(code, state));
            }
            Tok::Ch(c) if !".\\[{()*+?^$|".contains(c) => sub.items.push(Item::unit()),
            Tok::Ch('[') => {
                parse_class(source)?;
                sub.items.push(Item::unit());
            }
            Tok::Ch(c @ ('*' | '+' | '?' | '{')) => {
                let here = source.tell();
                let (min, max): (u128, u128) = match c {
                    '?' => (0, 1),
                    '*' => (0, MAXREPEAT),
                    '+' => (1, MAXREPEAT),
                    _ => {
                        if source.next == Some(Tok::Ch('}')) {
                            sub.items.push(Item::unit());
                            continue;
                        }
                        let lo = source.getwhile(usize::MAX, is_digit)?;
                        let hi = if source.matches(',')? {
                            source.getwhile(usize::MAX, is_digit)?
                        } else {
                            lo.clone()
                        };
                        if !source.matches('}')? {
                            sub.items.push(Item::unit());
                            source.seek(here)?;
                            continue;
                        }
                        let mut min = 0;
                        let mut max = MAXREPEAT;
                        if !lo.is_empty() {
                            min = lo.parse::<u128>().unwrap_or(u128::MAX);
                            if min >= MAXREPEAT {
                                return Err("the repetition number is too large".into());
                            }
                        }
                        if !hi.is_empty() {
                            max = hi.parse::<u128>().unwrap_or(u128::MAX);
                            if max >= MAXREPEAT {
                                return Err("the repetition number is too large".into());
                            }
                            if max < min {
                                return Err("min repeat greater than max repeat".into());
                            }
                        }
                        (min, max)
                    }
                };
                let Some(item) = sub.items.last().copied() else {
                    return Err("nothing to repeat".into());
                };
                match item.kind {
                    Kind::At => return Err("nothing to repeat".into()),
                    Kind::Repeat => return Err("multiple repeat".into()),
                    _ => {}
                }
                if !source.matches('?')? {
                    source.matches('+')?;
                }
                let lo = item.lo.saturating_mul(min);
                let hi = if max == MAXREPEAT && item.hi > 0 {
                    MAXWIDTH
                } else {
                    item.hi.saturating_mul(max)
                };
                *sub.items.last_mut().expect("checked above") = Item {
                    kind: Kind::Repeat,
                    lo,
                    hi,
                };
                sub.has_repeat = true;
            }
            Tok::Ch('.') => sub.items.push(Item::unit()),
            Tok::Ch('(') => {
                if let Some(item) = parse_group(source, state, &mut verbose, nested, first, &sub)? {
                    sub.has_repeat |= item.1;
                    sub.items.push(item.0);
                }
            }
            Tok::Ch('^') | Tok::Ch('$') => sub.items.push(Item::zero(Kind::At)),
            Tok::Ch(_) => return Err("unsupported special character".into()),
        }
    }
    Ok(sub)
}

/// After `[`: a character set. Only validity matters, the set is a unit either way.
fn parse_class(source: &mut Tokenizer) -> Result<(), String> {
    source.matches('^')?;
    let mut count = 0usize;
    loop {
        let Some(this) = source.get()? else {
            return Err("unterminated character set".into());
        };
        if this.is(']') && count > 0 {
            return Ok(());
        }
        let code1 = match this {
            Tok::Esc(c) => class_escape(source, c)?,
            Tok::Ch(c) => Code::Literal(c as u32),
        };
        if source.matches('-')? {
            let Some(that) = source.get()? else {
                return Err("unterminated character set".into());
            };
            if that.is(']') {
                return Ok(());
            }
            let code2 = match that {
                Tok::Esc(c) => class_escape(source, c)?,
                Tok::Ch(c) => Code::Literal(c as u32),
            };
            match (code1, code2) {
                (Code::Literal(lo), Code::Literal(hi)) if hi >= lo => {}
                _ => return Err("bad character range".into()),
            }
        }
        count += 1;
    }
}

/// After `(`: returns the item to append (and whether it repeats), or `None` when nothing is
/// appended (comments, global flags, ...).
fn parse_group(
    source: &mut Tokenizer,
    state: &mut State,
    verbose: &mut bool,
    nested: usize,
    first: bool,
    sub: &Sub,
) -> Result<Option<(Item, bool)>, String> {
    let mut capture = true;
    let mut atomic = false;
    let mut name: Option<String> = None;
    let (mut add_flags, mut del_flags) = (0u32, 0u32);
    if source.matches('?')? {
        let Some(char) = source.get()? else {
            return Err("unexpected end of pattern".into());
        };
        match char {
            Tok::Ch('P') => {
                if source.matches('<')? {
                    let n = source.getuntil('>', "group name")?;
                    if !is_identifier(&n) {
                        return Err(format!("bad character in group name {n:?}"));
                    }
                    name = Some(n);
                } else if source.matches('=')? {
                    let n = source.getuntil(')', "group name")?;
                    if !is_identifier(&n) {
                        return Err(format!("bad character in group name {n:?}"));
                    }
                    let Some(&gid) = state.groupdict.get(&n) else {
                        return Err(format!("unknown group name {n:?}"));
                    };
                    if !state.checkgroup(gid) {
                        return Err("cannot refer to an open group".into());
                    }
                    state.checklookbehindgroup(gid)?;
                    return Ok(Some((code_item(Code::GroupRef(gid), state), false)));
                } else {
                    return Err(match source.get()? {
                        None => "unexpected end of pattern".into(),
                        Some(_) => "unknown extension ?P".into(),
                    });
                }
            }
            Tok::Ch(':') => capture = false,
            Tok::Ch('#') => loop {
                if source.next.is_none() {
                    return Err("missing ), unterminated comment".into());
                }
                if source.get()? == Some(Tok::Ch(')')) {
                    return Ok(None);
                }
            },
            Tok::Ch(c @ ('=' | '!' | '<')) => {
                let mut lookbehind = false;
                let mut saved = None;
                if c == '<' {
                    match source.get()? {
                        None => return Err("unexpected end of pattern".into()),
                        Some(Tok::Ch('=' | '!')) => {}
                        Some(_) => return Err("unknown extension ?<".into()),
                    }
                    lookbehind = true;
                    saved = Some(state.lookbehindgroups);
                    if state.lookbehindgroups.is_none() {
                        state.lookbehindgroups = Some(state.groups());
                    }
                }
                let p = parse_sub(source, state, *verbose, nested + 1)?;
                if let Some(None) = saved {
                    state.lookbehindgroups = None;
                }
                if !source.matches(')')? {
                    return Err("missing ), unterminated subpattern".into());
                }
                if lookbehind {
                    let (lo, hi) = p.width();
                    if lo > MAXCODE {
                        return Err("looks too much behind".into());
                    }
                    if lo != hi {
                        return Err("look-behind requires fixed-width pattern".into());
                    }
                }
                return Ok(Some((Item::zero(Kind::Other), p.has_repeat)));
            }
            Tok::Ch('(') => {
                let condname = source.getuntil(')', "group name")?;
                let condgroup = if is_identifier(&condname) {
                    *state
                        .groupdict
                        .get(&condname)
                        .ok_or_else(|| format!("unknown group name {condname:?}"))?
                } else {
                    let g = py_int(&condname)
                        .ok_or_else(|| format!("bad character in group name {condname:?}"))?;
                    if g == 0 {
                        return Err("bad group number".into());
                    }
                    if g >= MAXGROUPS as u128 {
                        return Err(format!("invalid group reference {g}"));
                    }
                    state.grouprefpos.push(g as usize);
                    g as usize
                };
                state.checklookbehindgroup(condgroup)?;
                let yes = parse(source, state, *verbose, nested + 1, false)?;
                let no = if source.matches('|')? {
                    let no = parse(source, state, *verbose, nested + 1, false)?;
                    if source.next == Some(Tok::Ch('|')) {
                        return Err("conditional backref with more than two branches".into());
                    }
                    Some(no)
                } else {
                    None
                };
                if !source.matches(')')? {
                    return Err("missing ), unterminated subpattern".into());
                }
                let (mut lo, mut hi) = yes.width();
                let mut has_repeat = yes.has_repeat;
                match &no {
                    Some(no) => {
                        let (l, h) = no.width();
                        lo = lo.min(l);
                        hi = hi.max(h);
                        has_repeat |= no.has_repeat;
                    }
                    None => lo = 0,
                }
                return Ok(Some((
                    Item {
                        kind: Kind::Other,
                        lo,
                        hi,
                    },
                    has_repeat,
                )));
            }
            Tok::Ch('>') => {
                capture = false;
                atomic = true;
            }
            Tok::Ch(c) if flag(c).is_some() || c == '-' => match parse_flags(source, state, c)? {
                None => {
                    if !first || !sub.items.is_empty() {
                        return Err("global flags not at the start of the expression".into());
                    }
                    *verbose = state.flags & FLAG_X != 0;
                    return Ok(None);
                }
                Some((a, d)) => {
                    add_flags = a;
                    del_flags = d;
                    capture = false;
                }
            },
            _ => return Err("unknown extension".into()),
        }
    }
    let group = if capture {
        Some(state.opengroup(name.as_deref())?)
    } else {
        None
    };
    let sub_verbose = (*verbose || add_flags & FLAG_X != 0) && del_flags & FLAG_X == 0;
    let p = parse_sub(source, state, sub_verbose, nested + 1)?;
    if !source.matches(')')? {
        return Err("missing ), unterminated subpattern".into());
    }
    let width = p.width();
    if let Some(g) = group {
        state.groupwidths[g] = Some(width);
    }
    let kind = if group.is_none() && !atomic && add_flags == 0 && del_flags == 0 {
        Kind::PlainGroup
    } else {
        Kind::Other
    };
    Ok(Some((
        Item {
            kind,
            lo: width.0,
            hi: width.1,
        },
        p.has_repeat,
    )))
}

/// Python's `int(text)` for a group number (spaces around, sign, `_` between digits).
fn py_int(text: &str) -> Option<u128> {
    let t = text.trim_matches(|c: char| c.is_whitespace());
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if !clean.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v = clean.parse::<u128>().unwrap_or(u128::MAX);
    if neg && v != 0 {
        return None; // negative: "bad character in group name"
    }
    Some(v)
}

/// `(?flags)` / `(?flags:...)` / `(?-flags:...)`; `None` for global flags.
fn parse_flags(
    source: &mut Tokenizer,
    state: &mut State,
    first: char,
) -> Result<Option<(u32, u32)>, String> {
    let mut add = 0u32;
    let mut del = 0u32;
    let mut char = Tok::Ch(first);
    if first != '-' {
        loop {
            let Tok::Ch(c) = char else {
                unreachable!("only flag characters get here")
            };
            let f = flag(c).expect("checked flag");
            if c == 'L' {
                return Err("bad inline flags: cannot use 'L' flag with a str pattern".into());
            }
            add |= f;
            if f & TYPE_FLAGS != 0 && add & TYPE_FLAGS != f {
                return Err("bad inline flags: flags 'a', 'u' and 'L' are incompatible".into());
            }
            char = source.get()?.ok_or("missing -, : or )")?;
            if char.in_set(")-:") {
                break;
            }
            if !matches!(char, Tok::Ch(c) if flag(c).is_some()) {
                return Err("unknown flag or missing -, : or )".into());
            }
        }
    }
    if char.is(')') {
        state.flags |= add;
        return Ok(None);
    }
    if add & GLOBAL_FLAGS != 0 {
        return Err("bad inline flags: cannot turn on global flag".into());
    }
    if char.is('-') {
        char = source.get()?.ok_or("missing flag")?;
        if !matches!(char, Tok::Ch(c) if flag(c).is_some()) {
            return Err("missing flag".into());
        }
        loop {
            let Tok::Ch(c) = char else {
                unreachable!("only flag characters get here")
            };
            let f = flag(c).expect("checked flag");
            if f & TYPE_FLAGS != 0 {
                return Err("bad inline flags: cannot turn off flags 'a', 'u' and 'L'".into());
            }
            del |= f;
            char = source.get()?.ok_or("missing :")?;
            if char.is(':') {
                break;
            }
            if !matches!(char, Tok::Ch(c) if flag(c).is_some()) {
                return Err("unknown flag or missing :".into());
            }
        }
    }
    if del & GLOBAL_FLAGS != 0 {
        return Err("bad inline flags: cannot turn off global flag".into());
    }
    if add & del != 0 {
        return Err("bad inline flags: flag turned on and off".into());
    }
    Ok(Some((add, del)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_python_accepts() {
        for p in [
            "",
            "^[a-z]+$",
            r"\d{3}-\d{4}",
            "a{,3}",
            "x{}",
            "a{",
            "[]a]",
            "[^]]",
            r"[\w-]",
            "(?P<n>a)(?P=n)",
            r"(a)\1",
            r"(?<=ab)c",
            "(?i)abc",
            "(?i:a)b",
            "a*?",
            "a*+",
            "(?>a)",
            r"\x41\u0041\N{LATIN SMALL LETTER A}",
            r"(?(1)a|b)(x)",
            "(?#comment)a",
            r"(?x) a # c",
            r"[\b]",
            "a|b|(c)",
            r"\0\012",
            "\\\\",
        ] {
            assert!(compile(p).is_ok(), "{p:?} should compile: {:?}", compile(p));
        }
    }

    #[test]
    fn refuses_what_python_refuses() {
        for p in [
            "[",
            "(?<n>a)",
            r"\p{L}",
            "a**",
            "*a",
            "(",
            ")",
            "a{3,2}",
            r"\",
            r"(?<=a+)b",
            r"\1",
            "(a)(?P=b)",
            "[z-a]",
            r"[\d-z]",
            "a(?i)b",
            "(?L)a",
            r"\k<n>",
            "^*",
            r"\xZ",
            "(?P<1>a)",
            "(?(2)a)(b)",
            "(?au)",
            r"[\A]",
        ] {
            assert!(compile(p).is_err(), "{p:?} should be refused");
        }
    }
}
