# The `docs` target: Doxygen over the public headers and docs/mainpage.md,
# with the top-level Doxyfile (warnings are errors), writing HTML to
# <build>/docs/html. Present only when Doxygen is installed (Debian: doxygen).
find_package(Doxygen QUIET)
if(NOT DOXYGEN_FOUND)
  message(STATUS "Doxygen not found: no docs target (apt-get install doxygen)")
  return()
endif()

set(DISRUPTOR_DOXYFILE "${PROJECT_BINARY_DIR}/Doxyfile.docs")
file(WRITE "${DISRUPTOR_DOXYFILE}"
  "@INCLUDE = ${PROJECT_SOURCE_DIR}/Doxyfile\n"
  "OUTPUT_DIRECTORY = ${PROJECT_BINARY_DIR}/docs\n")
add_custom_target(docs
  COMMAND Doxygen::doxygen "${DISRUPTOR_DOXYFILE}"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"  # the Doxyfile's paths are relative to the source tree
  COMMENT "Doxygen: ${PROJECT_BINARY_DIR}/docs/html/index.html"
  VERBATIM)
