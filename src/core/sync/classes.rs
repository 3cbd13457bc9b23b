//! Class hierarchy over the package: in-package ancestors (MRO order) and what SDK or pydantic
//! class each one ultimately derives from.

use std::cell::RefCell;
use std::collections::HashMap;

use super::index::{ClassKey, Index, Sym};
use crate::core::model::ComponentKind;
use crate::core::python::{ClassDef, ClassItem, Expr};
use crate::core::schema::{Flavor, Prim};

/// What a class is, by its external (SDK, pydantic, enum) ancestors, in the SDK's order of checks:
/// Action, then Connector, then Trigger (the component kinds), then Module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Component(ComponentKind),
    Module,
    AccountValidator,
    ModelV2,
    ModelV1,
    /// Derives (only) from the SDK's `DefaultConnectorConfiguration`: the module's flavor decides.
    ConnectorConfiguration,
    Enum(Option<Prim>),
    /// A `typing.TypedDict` (or `typing_extensions`) subclass: pydantic renders it as an object
    /// schema in `$defs`, like a model.
    TypedDict,
    Other,
}

pub fn is_sdk(module: &str) -> bool {
    module == "sekoia_automation" || module.starts_with("sekoia_automation.")
}

pub struct Classes<'a> {
    pub index: &'a Index,
    // Classes are asked about many times (discovery, flavor, every field type): linearizations,
    // resolved bases and kinds are computed once.
    mros: RefCell<HashMap<ClassKey, Vec<ClassKey>>>,
    bases: RefCell<HashMap<ClassKey, Vec<Sym>>>,
    kinds: RefCell<HashMap<ClassKey, Kind>>,
}

/// How deep inheritance is followed, and how long an MRO may be; deeper chains are cut (Python
/// code this deep is unheard of, and the bound keeps the stack and the work small whatever the
/// input).
const MAX_INHERITANCE_DEPTH: usize = 64;

impl<'a> Classes<'a> {
    pub fn new(index: &'a Index) -> Self {
        Classes {
            index,
            mros: RefCell::new(HashMap::new()),
            bases: RefCell::new(HashMap::new()),
            kinds: RefCell::new(HashMap::new()),
        }
    }

    pub fn def(&self, key: &ClassKey) -> Option<&'a ClassDef> {
        self.index.class(key)
    }

    /// The resolved bases of `key`, in declaration order.
    pub fn bases(&self, key: &ClassKey) -> Vec<Sym> {
        if let Some(done) = self.bases.borrow().get(key) {
            return done.clone();
        }
        let Some(def) = self.def(key) else {
            return Vec::new();
        };
        let out: Vec<Sym> = def
            .bases
            .iter()
            .map(|b| match self.index.resolve_expr(&key.module, b) {
                Some(sym) => sym,
                None => Sym::Unbound(b.dotted().unwrap_or_default()),
            })
            .collect();
        self.bases.borrow_mut().insert(key.clone(), out.clone());
        out
    }

    /// The bases of `key` that sync can read: classes of the package (or of a sibling path
    /// dependency), and SDK classes it has a stub for (asset connectors).
    fn class_bases(&self, key: &ClassKey) -> Vec<ClassKey> {
        self.bases(key)
            .into_iter()
            .filter_map(|b| match b {
                Sym::Class(k) => Some(k),
                Sym::External(m, n) => self.index.stub_class(&m, &n),
                _ => None,
            })
            .collect()
    }

    /// The readable classes in Python's method resolution order (C3 linearization), starting
    /// with `key` itself. Bases sync cannot read (pydantic, most of the SDK) are left out; they
    /// come last in a real MRO anyway.
    pub fn mro(&self, key: &ClassKey) -> Vec<ClassKey> {
        self.c3(key, &mut Vec::new())
    }

    fn c3(&self, key: &ClassKey, visiting: &mut Vec<ClassKey>) -> Vec<ClassKey> {
        if let Some(done) = self.mros.borrow().get(key) {
            return done.clone();
        }
        // A class among its own ancestors is a NameError in Python; cut the cycle here.
        if visiting.contains(key) || visiting.len() >= MAX_INHERITANCE_DEPTH {
            return vec![key.clone()];
        }
        visiting.push(key.clone());
        let bases = self.class_bases(key);
        let mut seqs: Vec<Vec<ClassKey>> = bases.iter().map(|b| self.c3(b, visiting)).collect();
        visiting.pop();
        seqs.push(bases);
        let mut out = vec![key.clone()];
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                break;
            }
            let head = seqs
                .iter()
                .map(|s| &s[0])
                .find(|h| !seqs.iter().any(|s| s[1..].contains(h)))
                .cloned();
            let Some(head) = head else {
                // No consistent order (a TypeError in Python): depth-first, left to right.
                out = Vec::new();
                self.dfs_into(key, &mut out, 0);
                break;
            };
            for s in seqs.iter_mut() {
                if s[0] == head {
                    s.remove(0);
                }
            }
            if !out.contains(&head) {
                out.push(head);
            }
        }
        // Linearizations grow with the depth of the hierarchy and each one merges its bases':
        // bounded, a 10,000-class chain stays linear (real MROs are a handful of classes).
        out.truncate(MAX_INHERITANCE_DEPTH);
        self.mros.borrow_mut().insert(key.clone(), out.clone());
        out
    }

    fn dfs_into(&self, key: &ClassKey, out: &mut Vec<ClassKey>, depth: usize) {
        if out.contains(key) || depth >= MAX_INHERITANCE_DEPTH {
            return;
        }
        out.push(key.clone());
        for b in self.class_bases(key) {
            self.dfs_into(&b, out, depth + 1);
        }
    }

    /// The classes whose annotations make up a model's fields, in the order to apply them (a
    /// field keeps the position of its first declaration; a later declaration replaces it).
    /// pydantic 2 walks the MRO from the root down. pydantic v1 merges `__fields__` of the
    /// direct bases in reverse order, each already merged the same way, then the class's own.
    pub fn field_order(&self, key: &ClassKey, flavor: Flavor) -> Vec<ClassKey> {
        match flavor {
            Flavor::V2 => {
                let mut mro = self.mro(key);
                mro.reverse();
                mro
            }
            Flavor::V1 => {
                let mut out = Vec::new();
                self.v1_order(key, &mut out, 0);
                out
            }
        }
    }

    fn v1_order(&self, key: &ClassKey, out: &mut Vec<ClassKey>, depth: usize) {
        if depth >= MAX_INHERITANCE_DEPTH || out.len() > 4096 {
            return;
        }
        for b in self.class_bases(key).iter().rev() {
            self.v1_order(b, out, depth + 1);
        }
        out.push(key.clone());
    }

    /// `class T(TypedDict, total=False)`: the nearest `total=` up the chain (default true).
    pub fn typed_dict_total(&self, key: &ClassKey) -> bool {
        let Some(def) = self.def(key) else {
            return true;
        };
        !matches!(
            def.keywords.iter().find(|(k, _)| k == "total"),
            Some((_, Expr::Bool(false)))
        )
    }

    /// Every base outside the package reached through the in-package ancestors.
    pub fn external_bases(&self, key: &ClassKey) -> Vec<Sym> {
        let mut out = Vec::new();
        for k in self.mro(key) {
            for base in self.bases(&k) {
                if !matches!(base, Sym::Class(_)) && !out.contains(&base) {
                    out.push(base);
                }
            }
        }
        out
    }

    pub fn kind(&self, key: &ClassKey) -> Kind {
        if let Some(kind) = self.kinds.borrow().get(key) {
            return *kind;
        }
        let kind = self.compute_kind(key);
        self.kinds.borrow_mut().insert(key.clone(), kind);
        kind
    }

    fn compute_kind(&self, key: &ClassKey) -> Kind {
        let externals = self.external_bases(key);
        let names: Vec<(String, String)> = externals
            .iter()
            .filter_map(|s| match s {
                Sym::External(m, n) => Some((m.clone(), n.clone())),
                Sym::Unbound(n) => Some(("builtins".to_string(), n.clone())),
                _ => None,
            })
            .collect();
        let sdk = |wanted: &[&str]| {
            names
                .iter()
                .any(|(m, n)| is_sdk(m) && wanted.contains(&n.as_str()))
        };
        if sdk(&["Action", "GenericAPIAction"]) {
            return Kind::Component(ComponentKind::Action);
        }
        if sdk(&["Connector", "AsyncConnector"]) {
            return Kind::Component(ComponentKind::Connector);
        }
        if sdk(&["Trigger", "AssetConnector", "AsyncAssetConnector"]) {
            return Kind::Component(ComponentKind::Trigger);
        }
        if sdk(&["Module"]) {
            return Kind::Module;
        }
        if sdk(&["AccountValidator"]) {
            return Kind::AccountValidator;
        }
        // Before the pydantic checks: the SDK's own base model follows the emulated SDK's pydantic.
        if sdk(&["DefaultConnectorConfiguration"]) {
            return Kind::ConnectorConfiguration;
        }
        let pydantic = |v1: bool| {
            names.iter().any(|(m, n)| {
                n == "BaseModel"
                    && if v1 {
                        m == "pydantic.v1" || m.starts_with("pydantic.v1.")
                    } else {
                        m == "pydantic" || m == "pydantic.main"
                    }
            })
        };
        if pydantic(true) {
            return Kind::ModelV1;
        }
        if pydantic(false) || sdk(&["SekoiaAutomationBaseModel", "BaseModel"]) {
            return Kind::ModelV2;
        }
        if names
            .iter()
            .any(|(m, n)| n == "TypedDict" && matches!(m.as_str(), "typing" | "typing_extensions"))
        {
            return Kind::TypedDict;
        }
        let enum_base = names
            .iter()
            .find(|(m, n)| m == "enum" && matches!(n.as_str(), "Enum" | "IntEnum" | "StrEnum"));
        if let Some((_, n)) = enum_base {
            let mixin = match n.as_str() {
                "IntEnum" => Some(Prim::Int),
                "StrEnum" => Some(Prim::Str),
                _ => names
                    .iter()
                    .find_map(|(m, n)| match (m.as_str(), n.as_str()) {
                        ("builtins", "str") => Some(Prim::Str),
                        ("builtins", "int") => Some(Prim::Int),
                        ("builtins", "float") => Some(Prim::Float),
                        _ => None,
                    }),
            };
            return Kind::Enum(mixin);
        }
        Kind::Other
    }

    /// Whether the SDK would skip `key` as abstract: every abstract method of its SDK base (`run`
    /// for Action and Trigger; none for Connector, which implements `run`) and every in-package
    /// `@abstractmethod` must be implemented, without `@abstractmethod`, somewhere up the chain.
    pub fn is_concrete(&self, key: &ClassKey) -> bool {
        let mro = self.mro(key);
        let mut required: Vec<String> = Vec::new();
        for base in self.external_bases(key) {
            let Sym::External(m, n) = base else { continue };
            if !is_sdk(&m) {
                continue;
            }
            let names: &[&str] = match n.as_str() {
                "Action" | "Trigger" => &["run"],
                "AssetConnector" | "AsyncAssetConnector" => &[
                    "update_checkpoint",
                    "reset_checkpoint",
                    "get_mapped_fields",
                    "get_assets",
                ],
                _ => &[],
            };
            required.extend(names.iter().map(|s| s.to_string()));
        }
        // A base already implementing `run` (Connector, GenericAPIAction) satisfies Action/Trigger.
        let implemented_by_sdk = self.external_bases(key).iter().any(|b| {
            matches!(b, Sym::External(m, n) if is_sdk(m) && matches!(n.as_str(), "Connector" | "AsyncConnector" | "GenericAPIAction"))
        });
        if implemented_by_sdk {
            required.retain(|n| n != "run");
        }
        for k in &mro {
            for item in self.def(k).map(|d| d.items.as_slice()).unwrap_or(&[]) {
                if let ClassItem::Method {
                    name,
                    abstract_: true,
                    ..
                } = item
                {
                    required.push(name.clone());
                }
            }
        }
        required.iter().all(|name| {
            mro.iter()
                .find_map(|k| match self.def(k).and_then(|d| d.method(name)) {
                    Some(ClassItem::Method { abstract_, .. }) => Some(!abstract_),
                    _ => None,
                })
                == Some(true)
        })
    }
}
