//! Parameter groups (`x-ms-parameter-grouping`): the parameters an operation takes in a struct
//! rather than one by one, as AutoRest generates them. A group is named by its `name`, else
//! `<Group><Operation><postfix>`, else `<Group><Operation>Parameters`; groups of one name are one
//! struct, shared by every operation that names it, with the union of their fields.

use std::collections::BTreeMap;

use super::params::Site;
use crate::extensions::ParameterGrouping;
use crate::ir::{GroupField, Name, ParamGroup, ParamGroupId, ParamKind};
use crate::naming::{self, Namespace};

/// Every parameter group of a document, in the order first used.
#[derive(Debug, Default)]
pub(super) struct ParamGroups {
    groups: Vec<ParamGroup>,
    /// The field names each group has taken.
    fields: Vec<Namespace>,
    by_name: BTreeMap<String, ParamGroupId>,
}

impl ParamGroups {
    /// The Rust type name of the group `grouping` names at `site`.
    pub fn name(&self, site: &Site<'_>, grouping: &ParameterGrouping) -> String {
        naming::param_group(site.group_wire, site.op_wire, grouping.name.as_deref(), grouping.postfix.as_deref())
    }

    /// Adds the parameter `wire` (Rust name `field`) to its group, made on first use, and returns the
    /// group and the field's name (a clash with another field gets `_`); a field the group already
    /// has is shared (required if any operation requires it). A constant is no field: it is sent
    /// with its group.
    #[allow(clippy::too_many_arguments)]
    pub fn field(
        &mut self,
        site: &Site<'_>,
        grouping: &ParameterGrouping,
        field: &str,
        wire: &str,
        doc: Option<String>,
        kind: &ParamKind,
        required: bool,
    ) -> (ParamGroupId, String) {
        let name = self.name(site, grouping);
        let id = *self.by_name.entry(name.clone()).or_insert_with(|| {
            self.groups.push(ParamGroup { name, fields: Vec::new() });
            self.fields.push(Namespace::new(&[]));
            ParamGroupId(self.groups.len() - 1)
        });
        if matches!(kind, ParamKind::Constant(_)) {
            // Sent whenever the group is; nothing to set.
            return (id, field.to_string());
        }
        let group = &mut self.groups[id.0];
        if let Some(existing) = group.fields.iter_mut().find(|f| f.name.wire == wire) {
            existing.required |= required;
            return (id, existing.name.rust.clone());
        }
        let rust = self.fields[id.0].claim(field, "_");
        let name = Name { rust: rust.clone(), wire: wire.to_string() };
        group.fields.push(GroupField { name, doc, kind: kind.clone(), required });
        (id, rust)
    }

    pub fn into_groups(self) -> Vec<ParamGroup> {
        self.groups
    }
}
