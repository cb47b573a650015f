#include "host/effective_policy.h"

#include "host/protocol.h"

namespace postguard::host {

const char* to_string(PolicyBasis b) {
  switch (b) {
    case PolicyBasis::all_files: return "allFiles";
    case PolicyBasis::valid_files: return "validFiles";
    case PolicyBasis::last_valid: return "lastValid";
    case PolicyBasis::baseline: return "baseline";
  }
  return "baseline";
}

namespace {

std::string make_etag(uint64_t fp) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (int shift = 60; shift >= 0; shift -= 4) out += hex[(fp >> shift) & 15];
  return out + "-" + version() + "-p" + std::to_string(kProtocolVersion);
}

}  // namespace

bool EffectivePolicy::matches(const std::string& etag) const {
  if (etag.empty()) return false;
  const SourceRead read = sources_.read();
  return read.problems.empty() && make_etag(fingerprint(read)) == etag;
}

bool EffectivePolicy::refresh() {
  SourceRead read = sources_.read();
  const uint64_t fp = fingerprint(read);
  if (snapshot_ && fp == fingerprint_) return false;
  fingerprint_ = fp;

  PolicySnapshot next;
  next.revision = snapshot_ ? snapshot_->revision + 1 : 1;
  next.location = read.location;
  next.problems = read.problems;

  auto all = Policy::compile(read.sources);
  if (all) {
    next.basis = read.problems.empty() ? PolicyBasis::all_files : PolicyBasis::valid_files;
    next.sources = std::move(read.sources);
    next.policy = std::make_shared<const Policy>(std::move(all).value());
  } else if (snapshot_) {
    // Mid-session: an edit broke the files. Keep what was in force, so a
    // half-saved file never switches protection off.
    next.problems.push_back(all.error());
    next.basis = PolicyBasis::last_valid;
    next.sources = snapshot_->sources;
    next.policy = snapshot_->policy;
  } else {
    // First load, nothing earlier to keep: take the files in merge order,
    // leaving out each one that breaks the merge (it is reported), so one bad
    // overlay does not cost the machine its trust bundle.
    std::vector<PolicySource> kept;
    std::optional<Policy> best;
    for (auto& src : read.sources) {
      kept.push_back(src);
      auto r = Policy::compile(kept);
      if (r) {
        best = std::move(r).value();
      } else {
        next.problems.push_back(r.error());
        kept.pop_back();
      }
    }
    if (best && !kept.empty()) {
      next.basis = PolicyBasis::valid_files;
      next.sources = std::move(kept);
      next.policy = std::make_shared<const Policy>(std::move(*best));
    } else {
      next.basis = PolicyBasis::baseline;
      auto base = Policy::baseline();
      // The embedded packs always compile; if they ever did not, `policy`
      // stays null and the dispatcher answers with the error instead.
      if (base) {
        next.policy = std::make_shared<const Policy>(std::move(base).value());
      } else {
        next.problems.push_back(base.error());
      }
    }
  }
  if (next.sources.empty()) next.basis = PolicyBasis::baseline;
  if (next.policy) next.school = next.policy->school();
  if (next.problems.empty() && next.policy) next.etag = make_etag(fp);
  snapshot_ = std::move(next);
  return true;
}

Result<std::shared_ptr<const Policy>> EffectivePolicy::compiled() {
  current();  // loads on first use
  PolicySnapshot& s = *snapshot_;
  if (s.policy) return s.policy;
  // What refresh() compiled, again: the sources in force compiled before
  // (or, with none, the baseline).
  auto again = s.sources.empty() ? Policy::baseline() : Policy::compile(s.sources);
  if (!again) return again.error();
  s.policy = std::make_shared<const Policy>(std::move(again).value());
  return s.policy;
}

void EffectivePolicy::release_compiled() {
  if (snapshot_) snapshot_->policy.reset();
}

const PolicySnapshot& EffectivePolicy::current() {
  if (!snapshot_) refresh();
  return *snapshot_;
}

}  // namespace postguard::host
