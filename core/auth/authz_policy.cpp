#include "core/auth/authz_policy.hpp"

#include <algorithm>
#include <set>

namespace otts {
namespace {

using json = nlohmann::json;

Error policy_error(std::string detail) { return make_error(ErrorCode::usage, "policy " + std::move(detail)); }

Error rule_error(std::size_t index, const std::string& detail) {
    return policy_error("rule " + std::to_string(index) + ": " + detail);
}

// nlohmann keeps the last of duplicate members silently; in a policy file a second
// "owner_only" would quietly win, so duplicates are found through the parse callback.
Result<json> parse_strict(std::string_view text) {
    std::vector<std::set<std::string>> open_objects;
    std::string duplicate;
    auto callback = [&](int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start) open_objects.emplace_back();
        if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
        if (event == json::parse_event_t::key && !open_objects.empty() &&
            !open_objects.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
            duplicate = parsed.get<std::string>();
        }
        return true;
    };
    json out = json::parse(text.begin(), text.end(), callback, false);
    if (out.is_discarded()) return policy_error("file is not valid JSON");
    if (!duplicate.empty()) return policy_error("file has a duplicate member \"" + duplicate + "\"");
    return out;
}

// "*", an exact action, or "<namespace>:*".
bool valid_pattern(std::string_view p) {
    const auto star = p.find('*');
    if (star == std::string_view::npos) return !p.empty();
    return p == "*" || (star == p.size() - 1 && p.size() >= 3 && p[p.size() - 2] == ':');
}

bool pattern_matches(std::string_view pattern, std::string_view action) {
    if (pattern == "*") return true;
    if (pattern.back() != '*') return pattern == action;
    const auto prefix = pattern.substr(0, pattern.size() - 1);  // "read:"
    return action.size() > prefix.size() && action.substr(0, prefix.size()) == prefix;
}

Result<void> check_members(const json& obj, std::initializer_list<std::string_view> known, std::size_t index) {
    for (const auto& [name, value] : obj.items()) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            return rule_error(index, "unknown member \"" + name + "\"");
        }
    }
    return Ok{};
}

// Request text goes back into reasons and logs: quote at most 64 printable characters.
std::string shown(std::string_view s) {
    std::string out;
    for (const char c : s.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return s.size() > 64 ? out + "..." : out;
}

std::string group_list(const std::vector<std::string>& groups) {
    std::string out = "[";
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (i > 0) out += ',';
        out += shown(groups[i]);
    }
    out += ']';
    return out;
}

enum class Ownership { caller, other, unknown };

Ownership ownership_of(const AuthzRequest& request) {
    if (!request.resource.is_object()) return Ownership::unknown;
    const auto owner = request.resource.find("owner");
    if (owner == request.resource.end() || !owner->is_string()) return Ownership::unknown;
    return owner->get_ref<const std::string&>() == request.sub ? Ownership::caller : Ownership::other;
}

// "*" is any signed-in caller; decide() has already refused an empty sub.
bool in_group(const std::string& group, const std::vector<std::string>& groups) {
    return group == "*" || std::find(groups.begin(), groups.end(), group) != groups.end();
}

bool any_matches(const std::vector<std::string>& patterns, std::string_view action) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return pattern_matches(p, action); });
}

}  // namespace

Result<AuthzPolicy> AuthzPolicy::parse(std::string_view json_text) {
    OTTS_TRY(const json doc, parse_strict(json_text));
    if (!doc.is_object()) return policy_error("file must be a JSON object with a \"rules\" array");
    for (const auto& [name, value] : doc.items()) {
        if (name != "rules" && name != "description") return policy_error("file has unknown member \"" + name + "\"");
        if (name == "description" && !value.is_string()) return policy_error("description must be a string");
    }
    const auto rules = doc.find("rules");
    if (rules == doc.end() || !rules->is_array()) return policy_error("file needs a \"rules\" array");
    AuthzPolicy policy;
    for (std::size_t i = 0; i < rules->size(); ++i) {
        const json& r = (*rules)[i];
        if (!r.is_object()) return rule_error(i, "must be an object");
        OTTS_TRY_VOID(check_members(r, {"group", "actions", "owner_only", "description"}, i));
        Rule rule;
        const auto group = r.find("group");
        if (group == r.end() || !group->is_string() || group->get_ref<const std::string&>().empty()) {
            return rule_error(i, "\"group\" must be a non-empty string");
        }
        rule.group = group->get<std::string>();
        const auto actions = r.find("actions");
        if (actions == r.end() || !actions->is_array() || actions->empty()) {
            return rule_error(i, "\"actions\" must be a non-empty array of strings");
        }
        for (const auto& a : *actions) {
            if (!a.is_string() || !valid_pattern(a.get_ref<const std::string&>())) {
                return rule_error(i, "action " + a.dump() + " must be an exact action, \"*\" or end in \":*\"");
            }
            rule.actions.push_back(a.get<std::string>());
        }
        const auto owner_only = r.find("owner_only");
        if (owner_only != r.end() && !owner_only->is_boolean())
            return rule_error(i, "\"owner_only\" must be true or false");
        rule.owner_only = owner_only != r.end() && owner_only->get<bool>();
        const auto description = r.find("description");
        if (description != r.end() && !description->is_string())
            return rule_error(i, "\"description\" must be a string");
        policy.m_rules.push_back(std::move(rule));
    }
    return policy;
}

AuthzDecision AuthzPolicy::decide(const AuthzRequest& request) const {
    if (request.sub.empty()) return {false, "no signed-in caller", std::nullopt};
    if (request.action.empty()) return {false, "action is empty", std::nullopt};
    if (request.action.find('*') != std::string::npos) return {false, "action must not contain '*'", std::nullopt};
    const Ownership ownership = ownership_of(request);
    std::optional<std::size_t> owner_denied;
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        const Rule& rule = m_rules[i];
        if (!in_group(rule.group, request.groups) || !any_matches(rule.actions, request.action)) continue;
        if (rule.owner_only && ownership != Ownership::caller) {
            if (!owner_denied) owner_denied = i;
            continue;
        }
        return {true, "allowed by rule " + std::to_string(i) + " (group " + rule.group + ")", i};
    }
    if (owner_denied) {
        return {false,
                ownership == Ownership::other ? "owner_only: resource owner is not the caller"
                                              : "owner_only: resource has no owner (resource.owner must be a string)",
                owner_denied};
    }
    return {false, "no rule allows " + shown(request.action) + " for groups " + group_list(request.groups),
            std::nullopt};
}

}  // namespace otts
