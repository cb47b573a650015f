# Third-party libraries: Debian's packages natively; for Emscripten, ICU built
# by scripts/build-icu-wasm.sh (POSTGUARD_ICU_WASM_DIR) and the nlohmann header
# copied into a folder of its own (never -I/usr/include under emcc).
if(EMSCRIPTEN)
  if(NOT POSTGUARD_ICU_WASM_DIR)
    message(FATAL_ERROR "Set POSTGUARD_ICU_WASM_DIR to the output of scripts/build-icu-wasm.sh --print-dir")
  endif()
  add_library(icu INTERFACE)
  target_include_directories(icu SYSTEM INTERFACE ${POSTGUARD_ICU_WASM_DIR}/include)
  target_link_libraries(icu INTERFACE ${POSTGUARD_ICU_WASM_DIR}/lib/libicui18n.a
    ${POSTGUARD_ICU_WASM_DIR}/lib/libicuuc.a)
  set(_nlohmann_dir ${CMAKE_BINARY_DIR}/third_party/include)
  file(COPY /usr/include/nlohmann DESTINATION ${_nlohmann_dir})
  add_library(nlohmann_json INTERFACE)
  target_include_directories(nlohmann_json SYSTEM INTERFACE ${_nlohmann_dir})
  add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json)
else()
  find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)
  add_library(icu INTERFACE)
  target_link_libraries(icu INTERFACE ICU::i18n ICU::uc ICU::data)
  find_package(nlohmann_json 3.11 REQUIRED)
endif()
