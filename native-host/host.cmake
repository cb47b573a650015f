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

# The host alone links libstdc++, libgcc and ICU statically (Linux, when the
# Debian packages' static archives are there: libstdc++-12-dev, libicu-dev).
# Measured with a 1 MB policy (bench/host_memory.mjs): the shared libraries'
# mapped pages were 7.7 of the 10.9 MB steady RSS; linked in, only the code
# and ICU data the host touches are mapped. The CLI and tests stay dynamic.
option(POSTGUARD_HOST_STATIC_RUNTIME "Link postguard-host with static libstdc++, libgcc and ICU (Linux)" ON)
if(POSTGUARD_HOST_STATIC_RUNTIME AND CMAKE_SYSTEM_NAME STREQUAL "Linux" AND NOT POSTGUARD_SANITIZE)
  find_library(POSTGUARD_ICU_I18N_STATIC NAMES libicui18n.a)
  find_library(POSTGUARD_ICU_UC_STATIC NAMES libicuuc.a)
  find_library(POSTGUARD_ICU_DATA_STATIC NAMES libicudata.a)
  if(POSTGUARD_ICU_I18N_STATIC AND POSTGUARD_ICU_UC_STATIC AND POSTGUARD_ICU_DATA_STATIC)
    # Listed after everything that uses ICU (the core, Boost.Locale), so the
    # archives resolve all of it and --as-needed drops the shared ICU the
    # core's usage requirements still name.
    target_link_libraries(postguard-host PRIVATE postguard_host_lib postguard_host_common Boost::locale postguard_core
      ${POSTGUARD_ICU_I18N_STATIC} ${POSTGUARD_ICU_UC_STATIC} ${POSTGUARD_ICU_DATA_STATIC} ${CMAKE_DL_LIBS})
    target_link_options(postguard-host PRIVATE -static-libstdc++ -static-libgcc -Wl,--as-needed -Wl,--gc-sections)
  else()
    message(STATUS "postguard-host: static ICU archives not found; linking ICU dynamically")
  endif()
endif()
