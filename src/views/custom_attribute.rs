//! Custom attribute definition JSON.

use serde_json::{Value, json};

use crate::db::custom_attribute_definitions::Definition;
use crate::domain::custom_attributes::{DISPLAY_TYPES, MODELS, enum_name};
use crate::domain::timestamps::iso;

/// app/views/api/v1/accounts/custom_attribute_definitions/_custom_attribute_definition.json.jbuilder
pub fn definition(def: &Definition) -> Value {
    json!({
        "id": def.id,
        "attribute_display_name": def.attribute_display_name,
        "attribute_display_type": enum_name(DISPLAY_TYPES, def.attribute_display_type),
        "attribute_description": def.attribute_description,
        "attribute_key": def.attribute_key,
        "regex_pattern": def.regex_pattern,
        "regex_cue": def.regex_cue,
        "attribute_values": def.attribute_values,
        "attribute_model": enum_name(MODELS, def.attribute_model),
        "default_value": def.default_value,
        "created_at": iso(def.created_at),
        "updated_at": iso(def.updated_at),
    })
}
