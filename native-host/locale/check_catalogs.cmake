# ctest locale_catalogs_complete: fails when a wrapped message is missing from
# postguard.pot (run the postguard-pot target) or lacks a translation.
foreach(list XGETTEXT_ARGS SOURCES LANGUAGES)
  string(REPLACE "|" ";" ${list} "${${list}}")
endforeach()
set(_pot ${SOURCE_DIR}/native-host/locale/postguard.pot)
set(_fresh ${WORK_DIR}/postguard.fresh.pot)
execute_process(COMMAND ${XGETTEXT} ${XGETTEXT_ARGS} -o ${_fresh} ${SOURCES}
  WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xgettext failed")
endif()
# Every message in the sources is in the committed template.
execute_process(COMMAND ${MSGCMP} --use-untranslated ${_pot} ${_fresh} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "native-host/locale/postguard.pot is out of date (build the postguard-pot target):\n${err}")
endif()
foreach(lang IN LISTS LANGUAGES)
  set(_po ${SOURCE_DIR}/native-host/locale/${lang}/LC_MESSAGES/postguard.po)
  # Every template message translated (untranslated or fuzzy entries count as missing).
  execute_process(COMMAND ${MSGCMP} ${_po} ${_pot} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${lang}/postguard.po lacks translations:\n${err}")
  endif()
  execute_process(COMMAND ${MSGFMT} --check --statistics -o /dev/null ${_po}
    RESULT_VARIABLE rc ERROR_VARIABLE stats)
  if(NOT rc EQUAL 0 OR stats MATCHES "untranslated|fuzzy")
    message(FATAL_ERROR "${lang}/postguard.po: ${stats}")
  endif()
  message(STATUS "${lang}: ${stats}")
endforeach()
