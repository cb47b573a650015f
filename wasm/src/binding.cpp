// The wasm binding: a plain C ABI over the rules core (shared-rules/include/postguard/postguard.h).
//
// Every call that can fail returns a malloc'd, NUL-terminated UTF-8 JSON string the caller
// releases with pg_free:
//   pg_load_policy -> {"school": "...", "disclaimer": "..."}  or {"error": {...}}  (after pg_add_source)
//   pg_check       -> {"findings": [...]}                      or {"error": {...}}
// where {...} is postguard::error_to_json: {"code", "message", "file"?, "pointer"?}.
// No C++ exception leaves this file: the core turns its own into Error values, and every entry
// point here has a catch-all besides (when built with exceptions).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <malloc.h>

#include <nlohmann/json.hpp>
#include <unicode/ubrk.h>
#include <unicode/udata.h>
#include <unicode/uregex.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/utypes.h>

#include "postguard/postguard.h"

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define PG_TRY try
#define PG_CATCH_ALL(stmt) \
  catch (const std::exception& ex) { stmt(std::string("internal error: ") + ex.what()); } \
  catch (...) { stmt("internal error: unknown exception"); }
#else
#define PG_TRY if (true)
#define PG_CATCH_ALL(stmt) else {}
#endif

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define PG_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define PG_EXPORT extern "C"
#endif

using postguard::Context;
using postguard::Error;
using postguard::ErrorCode;
using postguard::Policy;
using postguard::PolicySource;

struct pg_engine {
  std::optional<Policy> policy;
  std::vector<PolicySource> staged;  // layers for the next pg_load_policy
  // The last context, parsed: a composer sends the same one with every keystroke.
  std::string last_context_json;
  Context last_context;
  bool have_context = false;
};

namespace {

char* dup_string(std::string_view s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (!out) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

Error make_error(ErrorCode code, std::string message) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

char* error_reply(const Error& e) { return dup_string("{\"error\":" + postguard::error_to_json(e) + "}"); }
char* internal_reply(const std::string& message) { return error_reply(make_error(ErrorCode::internal, message)); }

// ICU must find its data (linked into the module) and the services the core uses must open:
// the core falls back quietly without them, which would make wasm and native disagree.
std::optional<Error> icu_self_test() {
  UErrorCode status = U_ZERO_ERROR;
  unorm2_getNFKCCasefoldInstance(&status);
  if (U_FAILURE(status)) return make_error(ErrorCode::internal, std::string("ICU NFKC_Casefold data missing: ") + u_errorName(status));
  status = U_ZERO_ERROR;
  UBreakIterator* bi = ubrk_open(UBRK_WORD, "root", nullptr, 0, &status);  // the locale the core uses (text/word_breaks.cpp)
  if (bi) ubrk_close(bi);
  if (U_FAILURE(status)) return make_error(ErrorCode::internal, std::string("ICU word break data missing: ") + u_errorName(status));
  status = U_ZERO_ERROR;
  USpoofChecker* sc = uspoof_open(&status);
  if (sc) uspoof_close(sc);
  if (U_FAILURE(status)) return make_error(ErrorCode::internal, std::string("ICU confusables data missing: ") + u_errorName(status));
  return std::nullopt;
}

// {"school", "site", "surface", "account", "time", "images"}: every field optional.
std::optional<Error> parse_context(std::string_view text, Context& ctx) {
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !(doc.is_object() || doc.is_null())) {
    return make_error(ErrorCode::context_invalid, "the context must be a JSON object");
  }
  ctx = Context{};
  if (doc.is_null()) return std::nullopt;
  for (const auto& [key, target] : {std::pair<const char*, std::string*>{"school", &ctx.school}, {"site", &ctx.site},
                                    {"surface", &ctx.surface}, {"account", &ctx.account}, {"time", &ctx.time}}) {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) continue;
    if (!it->is_string()) return make_error(ErrorCode::context_invalid, std::string("context \"") + key + "\" must be a string");
    *target = it->get<std::string>();
  }
  if (auto it = doc.find("images"); it != doc.end() && !it->is_null()) {
    // The core checks the range (images >= 0); here only that it is an int.
    if (!it->is_number_integer() || it->get<int64_t>() < INT32_MIN || it->get<int64_t>() > INT32_MAX) {
      return make_error(ErrorCode::context_invalid, "context \"images\" must be a whole number");
    }
    ctx.images = static_cast<int>(it->get<int64_t>());
  }
  return std::nullopt;
}

}  // namespace

PG_EXPORT pg_engine* pg_engine_new() {
  PG_TRY { return new (std::nothrow) pg_engine(); }
  PG_CATCH_ALL([](const std::string&) {})
  return nullptr;
}

PG_EXPORT void pg_engine_free(pg_engine* engine) { delete engine; }

PG_EXPORT void pg_free(void* p) { std::free(p); }

// Memory for arguments: JS writes UTF-8 here (pg_free releases it).
PG_EXPORT void* pg_alloc(size_t n) { return std::malloc(n ? n : 1); }

PG_EXPORT const char* pg_version() { return postguard::version(); }

// The baseline tables shipped beside the module (postguard-baseline.bin),
// copied into this instance's memory by the JS API, which never frees them.
// 1 = in use; 0 = not tables for these packs (the JS API then refuses to
// start: this engine embeds no packs to compile a baseline from).
PG_EXPORT int pg_provide_baseline(const char* bytes, size_t n) {
  PG_TRY { return postguard::provide_baseline_tables(std::string_view(bytes, n)) ? 1 : 0; }
  PG_CATCH_ALL([](const std::string&) {})
  return 0;
}

PG_EXPORT int pg_baseline_prebuilt() {
  PG_TRY { return postguard::baseline_tables_prebuilt() ? 1 : 0; }
  PG_CATCH_ALL([](const std::string&) {})
  return 0;
}

// Checks that ICU has its data; the engine creation calls it once. Returns null when all is
// well, else an error reply (pg_free it).
PG_EXPORT char* pg_self_test() {
  PG_TRY {
    if (auto e = icu_self_test()) return error_reply(*e);
    return nullptr;
  }
  PG_CATCH_ALL(return internal_reply)
  return nullptr;
}

// Starts now what the first check would otherwise start: ICU builds its regex
// static sets on the first regex compile in a process (about 8M instructions,
// paid by the first draft that reaches a pack regex). Hosts call it in idle
// time after creating the engine (the JS API's warmUp). Returns 1, or 0 when
// ICU's regex service did not open.
PG_EXPORT int pg_warm_up() {
  PG_TRY {
    UErrorCode status = U_ZERO_ERROR;
    URegularExpression* re = uregex_openC("\\w", 0, nullptr, &status);
    if (re) uregex_close(re);
    return U_SUCCESS(status) ? 1 : 0;
  }
  PG_CATCH_ALL([](const std::string&) {})
  return 0;
}

// Policy layers are staged one by one (as raw bytes, so a file that is not UTF-8 reaches the
// core's own check), then compiled together: trust bundle first, then overlays; none = the
// baseline alone.
PG_EXPORT int pg_add_source(pg_engine* engine, const char* name, size_t name_len, const char* json, size_t json_len) {
  if (!engine) return 0;
  PG_TRY {
    engine->staged.push_back({std::string(name, name_len), std::string(json, json_len)});
    return 1;
  }
  PG_CATCH_ALL([](const std::string&) {})
  return 0;
}

// Compiles the staged layers for `school` (NUL-terminated; "" = the bundle's default) and
// clears the stage. On success the engine's policy is replaced; on error it keeps the old one.
PG_EXPORT char* pg_load_policy(pg_engine* engine, const char* school) {
  if (!engine) return internal_reply("no engine");
  PG_TRY {
    std::vector<PolicySource> sources;
    sources.swap(engine->staged);
    auto compiled = Policy::compile(sources, school ? std::string_view(school) : std::string_view());
    if (!compiled) return error_reply(compiled.error());
    engine->policy.reset();  // the old policy goes before the new one is moved in
    engine->policy = std::move(compiled).value();
    engine->have_context = false;  // the context's default school comes from the policy
    return dup_string("{\"school\":" + postguard::json_string(engine->policy->school()) +
                      ",\"disclaimer\":" + postguard::json_string(engine->policy->disclaimer_text()) + "}");
  }
  PG_CATCH_ALL(return internal_reply)
  return nullptr;
}

// text: UTF-8, text_len bytes (may hold NULs). context_json: NUL-terminated JSON object or "".
PG_EXPORT char* pg_check(pg_engine* engine, const char* text, size_t text_len, const char* context_json) {
  if (!engine) return internal_reply("no engine");
  PG_TRY {
    if (!engine->policy) {
      auto baseline = Policy::baseline();
      if (!baseline) return error_reply(baseline.error());
      engine->policy = std::move(baseline).value();
    }
    const std::string_view ctx_text = context_json ? std::string_view(context_json) : std::string_view();
    if (!engine->have_context || ctx_text != engine->last_context_json) {
      Context ctx;
      if (auto e = parse_context(ctx_text.empty() ? std::string_view("{}") : ctx_text, ctx)) return error_reply(*e);
      if (ctx.school.empty()) ctx.school = engine->policy->school();
      engine->last_context = std::move(ctx);
      engine->last_context_json.assign(ctx_text);
      engine->have_context = true;
    }
    auto result = postguard::check(*engine->policy, std::string_view(text, text_len), engine->last_context);
    if (!result) return error_reply(result.error());
    std::string out = "{\"findings\":";
    out += postguard::findings_to_json(result.value());
    out += "}";
    return dup_string(out);
  }
  PG_CATCH_ALL(return internal_reply)
  return nullptr;
}

// The merged policy with provenance (what `postguard policy explain` prints), or an error.
PG_EXPORT char* pg_explain(pg_engine* engine) {
  if (!engine) return internal_reply("no engine");
  PG_TRY {
    if (!engine->policy) return error_reply(make_error(ErrorCode::internal, "no policy loaded"));
    return dup_string(engine->policy->explain_json());
  }
  PG_CATCH_ALL(return internal_reply)
  return nullptr;
}

// Bytes malloc has handed out and not had back (for the leak check in bench/wasm_bench.mjs).
PG_EXPORT size_t pg_heap_used() {
  struct mallinfo mi = mallinfo();
  return static_cast<size_t>(mi.uordblks);
}
