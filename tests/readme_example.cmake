# Run by ctest (cmake -P): the README's DSL example must be tests/find_package/main.cpp
# verbatim, the program CI builds against an installed disruptor, so that the
# README cannot show code that does not compile or run.
# Inputs (-D): README, EXAMPLE.
file(READ "${README}" readme)
file(READ "${EXAMPLE}" example)
string(FIND "${readme}" "```cpp\n${example}```" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${README} does not show ${EXAMPLE} verbatim in a ```cpp block: copy the file into the README")
endif()
