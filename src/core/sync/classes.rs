//! Class hierarchy over the package: in-package ancestors (MRO order) and what SDK or pydantic
//! class each one ultimately derives from.

use super::index::{ClassKey, Index, Sym};
use crate::core::python::{ClassDef, ClassItem};
use crate::core::schema::Prim;

/// What a class is, by its external (SDK, pydantic, enum) ancestors, in the SDK's order of checks:
/// Action, then Connector, then Trigger, then Module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Action,
    Connector,
    Trigger,
    Module,
    AccountValidator,
    ModelV2,
    ModelV1,
    /// Derives (only) from the SDK's `DefaultConnectorConfiguration`: the module's flavor decides.
    ConnectorConfiguration,
    Enum(Option<Prim>),
    Other,
}

pub fn is_sdk(module: &str) -> bool {
    module == "sekoia_automation" || module.starts_with("sekoia_automation.")
}

pub struct Classes<'a> {
    pub index: &'a Index,
}

impl<'a> Classes<'a> {
    pub fn new(index: &'a Index) -> Self {
        Classes { index }
    }

    pub fn def(&self, key: &ClassKey) -> Option<&'a ClassDef> {
        self.index.class(key)
    }

    /// The resolved bases of `key`, in declaration order.
    pub fn bases(&self, key: &ClassKey) -> Vec<Sym> {
        let Some(def) = self.def(key) else {
            return Vec::new();
        };
        def.bases
            .iter()
            .map(|b| match self.index.resolve_expr(&key.module, b) {
                Some(sym) => sym,
                None => Sym::Unbound(b.dotted().unwrap_or_default()),
            })
            .collect()
    }

    /// In-package classes in method resolution order (depth-first, left to right, without
    /// repeats), starting with `key` itself.
    pub fn mro(&self, key: &ClassKey) -> Vec<ClassKey> {
        let mut out = Vec::new();
        self.mro_into(key, &mut out);
        out
    }

    fn mro_into(&self, key: &ClassKey, out: &mut Vec<ClassKey>) {
        if out.contains(key) || out.len() > 256 {
            return;
        }
        out.push(key.clone());
        for base in self.bases(key) {
            if let Sym::Class(b) = base {
                self.mro_into(&b, out);
            }
        }
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
            return Kind::Action;
        }
        if sdk(&["Connector", "AsyncConnector"]) {
            return Kind::Connector;
        }
        if sdk(&["Trigger", "AssetConnector", "AsyncAssetConnector"]) {
            return Kind::Trigger;
        }
        if sdk(&["Module"]) {
            return Kind::Module;
        }
        if sdk(&["AccountValidator"]) {
            return Kind::AccountValidator;
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
        if sdk(&["DefaultConnectorConfiguration"]) {
            return Kind::ConnectorConfiguration;
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
