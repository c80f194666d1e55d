# Run by ctest (cmake -P): installs the built disruptor into a fresh prefix,
# then builds and runs tests/find_package against it twice, through
# find_package(disruptor CONFIG) and, when pkg-config exists, through
# disruptor.pc. Any failing step fails the test with its output.
#
# Inputs (-D): BUILD_DIR (the disruptor build tree), SOURCE_DIR (this folder),
# WORK_DIR (scratch, wiped first), CONFIG, GENERATOR, CXX, CXX_FLAGS,
# LINKER_FLAGS, PKG_CONFIG (may be empty).
cmake_minimum_required(VERSION 3.25)

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "find_package test: ${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ok")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
step("install into ${prefix}" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}" --config "${CONFIG}")

step("configure the consumer with find_package(disruptor CONFIG)"
  ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}" -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_BUILD_TYPE=${CONFIG} -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}")
step("build the consumer" ${CMAKE_COMMAND} --build "${WORK_DIR}/build" --config "${CONFIG}")
find_program(consumer consumer PATHS "${WORK_DIR}/build" "${WORK_DIR}/build/${CONFIG}" NO_DEFAULT_PATH REQUIRED)
step("run the consumer" "${consumer}")

if(PKG_CONFIG)
  file(GLOB_RECURSE pc_file "${prefix}/*/disruptor.pc")
  if(NOT pc_file)
    message(FATAL_ERROR "find_package test: no disruptor.pc under ${prefix}")
  endif()
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  execute_process(COMMAND ${PKG_CONFIG} --cflags --libs disruptor RESULT_VARIABLE rc OUTPUT_VARIABLE flags
    ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "find_package test: pkg-config --cflags --libs disruptor failed:\n${err}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  separate_arguments(extra UNIX_COMMAND "${CXX_FLAGS} ${LINKER_FLAGS}")
  step("build the consumer with pkg-config"
    ${CXX} -std=c++20 ${extra} "${SOURCE_DIR}/main.cpp" -o "${WORK_DIR}/consumer_pc" ${flags})
  step("run the pkg-config consumer" "${WORK_DIR}/consumer_pc")
endif()
