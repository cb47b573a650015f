# The native messaging host (issue 4): a library the host, the CLI's
# install-host/doctor, the tests and the fuzzer share, and the executable.
set(POSTGUARD_HOST_ALLOWED_ORIGINS "" CACHE STRING
  "Extension origins the host always accepts (chrome-extension://ID/;...), besides its manifests")

set(_host_os_sources)
if(WIN32)
  list(APPEND _host_os_sources src/host/policy_sources_windows.cpp src/host/host_loop_windows.cpp)
elseif(APPLE)
  list(APPEND _host_os_sources src/host/policy_sources_macos.cpp src/host/host_loop_posix.cpp)
else()
  list(APPEND _host_os_sources src/host/policy_sources_linux.cpp src/host/host_loop_posix.cpp)
endif()

add_library(postguard_host_lib STATIC
  src/host/framing.cpp
  src/host/reply_chunker.cpp
  src/host/policy_sources.cpp
  src/host/plist_xml.cpp
  src/host/host_loop_common.cpp
  ${_host_os_sources}
  src/host/effective_policy.cpp
  src/host/host_manifest.cpp
  src/host/caller_check.cpp
  src/host/dispatcher.cpp)
target_include_directories(postguard_host_lib PUBLIC src)
target_link_libraries(postguard_host_lib PUBLIC postguard_host_common postguard_core
  PRIVATE postguard_warnings nlohmann_json::nlohmann_json)
target_compile_definitions(postguard_host_lib PRIVATE POSTGUARD_VERSION="${PROJECT_VERSION}"
  POSTGUARD_HOST_ALLOWED_ORIGINS="${POSTGUARD_HOST_ALLOWED_ORIGINS}")
if(WIN32)
  target_link_libraries(postguard_host_lib PRIVATE advapi32 shell32 ole32 uuid)
endif()

add_executable(postguard-host src/host/main.cpp)
target_link_libraries(postguard-host PRIVATE postguard_host_lib postguard_warnings)
add_dependencies(postguard-host postguard_locale)

# `postguard install-host` and `postguard doctor` live with the CLI but use the
# host's manifest and policy-source code.
target_sources(postguard_cli_lib PRIVATE src/cli/command_install_host.cpp src/cli/command_doctor.cpp)
target_link_libraries(postguard_cli_lib PRIVATE postguard_host_lib)
