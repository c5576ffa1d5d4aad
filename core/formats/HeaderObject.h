#pragma once
// Reading the JSON that LatentLab's files carry (the model file's header, a TorchScript
// model's latentlab.json and its sidecar): field by field, every error naming the field,
// every number range-checked, and the parts those files share (attribute vectors).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/Error.h"
#include "core/model/Model.h"

namespace latentlab {

// The deepest nesting of arrays and objects in JSON text, counted before parsing so that
// a header of 60,000 nested '[' cannot exhaust the stack of the parser, printer or destructor.
int nestingDepth(const std::string& text);
// nlohmann's what() starts with "[json.exception.type_error.302] ": keep the words only.
std::string plainJsonError(const nlohmann::json::exception& e);

// One object of the header, read field by field: every error names the field
// ("architecture.latent") and every number is range-checked before it is converted
// (a float such as 1e300 has no int to become).
class HeaderObject {
public:
    HeaderObject(const nlohmann::json& object, std::string name) : object_(object), name_(std::move(name))
    {
        if (!object_.is_object())
            throw Error("'" + name_ + "' must be an object, not " + object_.type_name());
    }

    bool has(const char* key) const { return object_.contains(key) && !object_[key].is_null(); }
    const nlohmann::json& at(const char* key) const
    {
        if (!object_.contains(key))
            throw Error("'" + field(key) + "' is missing");
        return object_[key];
    }
    HeaderObject object(const char* key) const { return HeaderObject(at(key), field(key)); }

    std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi) const { return integerOf(at(key), field(key), lo, hi); }
    std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi, std::int64_t fallback) const
    {
        return has(key) ? integer(key, lo, hi) : fallback;
    }
    // Finite numbers; null (how JSON writes NaN) only where `fallback` is given.
    double number(const char* key) const { return numberOf(at(key), field(key)); }
    double number(const char* key, double fallback) const { return has(key) ? number(key) : fallback; }
    bool boolean(const char* key) const
    {
        if (!at(key).is_boolean())
            throw Error("'" + field(key) + "' must be true or false, not " + at(key).type_name());
        return at(key).get<bool>();
    }
    std::string text(const char* key) const
    {
        if (!at(key).is_string())
            throw Error("'" + field(key) + "' must be a string, not " + at(key).type_name());
        return at(key).get<std::string>();
    }
    std::string text(const char* key, const std::string& fallback) const { return has(key) ? text(key) : fallback; }
    // An array of at most `limit` entries (an empty one where the field is optional and absent).
    const nlohmann::json& array(const char* key, std::size_t limit, bool optional = false) const
    {
        static const nlohmann::json kEmpty = nlohmann::json::array();
        if (optional && !has(key))
            return kEmpty;
        const nlohmann::json& a = at(key);
        if (!a.is_array())
            throw Error("'" + field(key) + "' must be an array, not " + a.type_name());
        if (a.size() > limit)
            throw Error("'" + field(key) + "' has " + std::to_string(a.size()) + " entries, at most " + std::to_string(limit));
        return a;
    }

    static std::int64_t integerOf(const nlohmann::json& v, const std::string& name, std::int64_t lo, std::int64_t hi)
    {
        if (!v.is_number_integer())
            throw Error("'" + name + "' must be a whole number, not " + (v.is_number() ? v.dump() : v.type_name()));
        // Compared in the type it was parsed as; converted only once it is known to fit.
        const bool inRange = v.is_number_unsigned()
                                 ? v.get<std::uint64_t>() <= std::uint64_t(hi) && (lo <= 0 || v.get<std::uint64_t>() >= std::uint64_t(lo))
                                 : v.get<std::int64_t>() >= lo && v.get<std::int64_t>() <= hi;
        if (!inRange)
            throw Error("'" + name + "' is " + v.dump() + ", outside " + std::to_string(lo) + " to " + std::to_string(hi));
        return v.get<std::int64_t>();
    }
    static double numberOf(const nlohmann::json& v, const std::string& name)
    {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            throw Error("'" + name + "' must be a finite number, not " + (v.is_number() ? v.dump() : v.type_name()));
        return v.get<double>();
    }

private:
    std::string field(const char* key) const { return name_.empty() ? key : name_ + "." + key; }
    const nlohmann::json& object_;
    std::string name_;
};

// Attribute vectors as the model file's header and a TorchScript model's description
// keep them: [{"name", "direction", "classifier": {"normal", "bias"}}], each of
// `latentDim` values.
nlohmann::json attributesToJson(const std::vector<AttributeVector>& attributes);
std::vector<AttributeVector> attributesFromJson(const HeaderObject& owner, const char* key, int latentDim);

} // namespace latentlab
