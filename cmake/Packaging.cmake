# Installing and packaging the native parts for IT (issue 6): `postguard` and `postguard-host` in
# bin/, the host's manifests in every browser's system location, an empty /etc/postguard/policy.d,
# the admin guide and example policies under share/doc/postguard, and a .deb:
#
#   cpack -G DEB --config BUILD/CPackConfig.cmake -B OUT     # OUT/postguard_<version>_<arch>.deb
#
# The manifests are written at build time by `postguard install-host --system --root ...` itself, so
# the package carries exactly what that command would write on the machine (one source of truth for
# the formats, host_manifest.cpp).
# Sanitizer and fuzzing builds are never shipped (and should not run their CLI at build time).
if(EMSCRIPTEN OR POSTGUARD_SANITIZE OR POSTGUARD_FUZZ OR NOT TARGET postguard OR NOT TARGET postguard-host)
  return()
endif()
include(GNUInstallDirs)
set(_docdir ${CMAKE_INSTALL_DATAROOTDIR}/doc/postguard)  # Debian's name, not the project's "PostGuard"

# Both binaries in bin/: `postguard install-host` and `doctor` look for the host beside the CLI,
# and the message catalogs are found at <bin>/../share/locale.
install(TARGETS postguard postguard-host RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/policy-format.md ${PROJECT_SOURCE_DIR}/docs/protocol.md
  DESTINATION ${_docdir})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/admin/ DESTINATION ${_docdir}/admin)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/examples/ DESTINATION ${_docdir}/examples)

if(UNIX AND NOT APPLE)
  # Where the package puts the binaries; the manifests name this path.
  set(POSTGUARD_PACKAGE_PREFIX "/usr" CACHE STRING "Install prefix of the .deb (the host manifests point into it)")
  # Chromium-family ids (32 letters a-p) and Firefox add-on ids the host manifests allow. The
  # default is the id of the development key in extension/manifest.json plus the Firefox id from
  # extension/build.mjs; a release sets the ids the stores assigned.
  set(POSTGUARD_EXTENSION_IDS "fmhmjgejjanbkcofipdnonmfpgndekkm;postguard@postguard.org" CACHE STRING
    "Extension ids (;-separated) allowed to start the host, written into the packaged manifests")

  set(_root ${CMAKE_BINARY_DIR}/packaging/root)
  set(_id_args)
  foreach(id IN LISTS POSTGUARD_EXTENSION_IDS)
    string(APPEND _id_args " --extension-id \"${id}\"")
  endforeach()
  # Written when installing (cpack installs first), not at every build: only a
  # package needs them.
  install(CODE "
    file(REMOVE_RECURSE \"${_root}\")
    # LC_ALL=C: the tool's (translated) progress lines are not wanted in a build log in Welsh.
    execute_process(COMMAND \"${CMAKE_COMMAND}\" -E env LC_ALL=C LANGUAGE=
      \"$<TARGET_FILE:postguard>\" install-host --system --browser all ${_id_args}
      --host-path \"${POSTGUARD_PACKAGE_PREFIX}/${CMAKE_INSTALL_BINDIR}/postguard-host\" --root \"${_root}\"
      RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR \"postguard install-host (host manifests for the package) failed: \${_rc}\")
    endif()")
  # Not part of ALL: builds what that install step runs (tests/deploy-kit builds it before cpack).
  add_custom_target(postguard_host_manifests)
  add_dependencies(postguard_host_manifests postguard postguard-host)

  # The browsers' system folders are fixed paths (host_manifest.cpp), not under the prefix.
  install(DIRECTORY ${_root}/etc/ DESTINATION /etc)
  install(DIRECTORY ${_root}/usr/lib/mozilla/ DESTINATION /usr/lib/mozilla)
  # The folder IT drops school overlays into (root-owned, as the host requires).
  install(DIRECTORY DESTINATION /etc/postguard/policy.d)

  # /etc files are conffiles: an admin's edit survives an upgrade. Kept in step with
  # host_manifest.cpp's Linux folders; the deploy-kit test checks this list against the package.
  set(_conffiles ${CMAKE_BINARY_DIR}/packaging/conffiles)
  file(WRITE ${_conffiles}
    "/etc/chromium/native-messaging-hosts/org.postguard.host.json\n"
    "/etc/opt/chrome/native-messaging-hosts/org.postguard.host.json\n"
    "/etc/opt/edge/native-messaging-hosts/org.postguard.host.json\n")

  set(CPACK_GENERATOR "DEB")
  set(CPACK_PACKAGING_INSTALL_PREFIX ${POSTGUARD_PACKAGE_PREFIX})
  set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${_conffiles})
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "chromium | google-chrome-stable | microsoft-edge-stable | firefox-esr")
endif()

set(CPACK_PACKAGE_NAME "postguard")
set(CPACK_PACKAGE_VENDOR "PostGuard")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "PostGuard maintainers <postguard@postguard.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "school social media policy checks: admin CLI and native messaging host")
set(CPACK_PACKAGE_DESCRIPTION
  "PostGuard checks what school staff type into social media composers against their school's policy, on the device.
This package holds the postguard admin CLI (validate, explain and test a trust's policy) and postguard-host,
the native messaging host the browser extension asks for the machine's policy (/etc/postguard).")
set(CPACK_STRIP_FILES ON)
include(CPack)
