// The policy in force on this machine: the sources read, compiled by the
// core, with the fallbacks the issue asks for — an invalid file is reported
// and the last valid policy (or the baseline) stays in force.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/policy_sources.h"
#include "postguard/postguard.h"

namespace postguard::host {

// How the policy in force relates to the files on disk now.
enum class PolicyBasis {
  all_files,    // every file applied
  valid_files,  // some files were left out (see problems); the rest applied
  last_valid,   // the files changed and no longer compile; the previous policy stays
  baseline,     // no usable policy files: the built-in baseline
};
const char* to_string(PolicyBasis b);

struct PolicySnapshot {
  uint64_t revision = 0;  // bumped whenever anything below changes
  PolicyBasis basis = PolicyBasis::baseline;
  std::vector<PolicySource> sources;     // the sources in force, in merge order
  std::string school;                    // the school they select ("" = trust-wide)
  // The sources compiled: the baseline at worst (null if even that failed, or
  // after EffectivePolicy::release_compiled(); EffectivePolicy::compiled()
  // brings it back).
  std::shared_ptr<const Policy> policy;
  std::vector<Error> problems;           // from the latest reading of the files
  std::string location;
  // Names this exact policy across host processes (a hash of the files'
  // names and text, the product and protocol versions); empty when there are
  // problems, because then the outcome depends on what a process saw before.
  std::string etag;
};

class EffectivePolicy {
 public:
  explicit EffectivePolicy(const PolicySources& sources) : sources_(sources) {}

  // Re-reads the sources; recompiles only when their text changed. True when
  // the snapshot changed (and so its revision).
  bool refresh();
  // The snapshot, loading it on first use (so `hello` never pays for a compile).
  const PolicySnapshot& current();
  // True when the files now are exactly those `etag` was issued for: checked
  // by reading and hashing them, without compiling (the slow part), so a
  // client holding that policy gets its answer in a few milliseconds.
  bool matches(const std::string& etag) const;
  // The revision in force without loading anything (0 before the first load).
  uint64_t loaded_revision() const { return snapshot_ ? snapshot_->revision : 0; }

  // The compiled policy in force, compiling the snapshot's sources again if
  // it was released (the same sources compile to the same policy); an error
  // only if even the baseline does not compile.
  Result<std::shared_ptr<const Policy>> compiled();
  // Drops the compiled policy, keeping what getPolicy and policyChanged need
  // (sources, school, problems, etag). Only `check` needs the compiled form:
  // for a 1 MB policy it is most of the host's memory, and a host that only
  // hands the extension its policy stays connected all day.
  void release_compiled();
  bool holds_compiled() const { return snapshot_ && snapshot_->policy; }

 private:
  const PolicySources& sources_;
  std::optional<PolicySnapshot> snapshot_;
  uint64_t fingerprint_ = 0;
};

}  // namespace postguard::host
