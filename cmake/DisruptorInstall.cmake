# Installing disruptor: headers, the library, an exported target
# disruptor::disruptor with its package config and version files (for
# find_package(disruptor CONFIG)), and disruptor.pc (for pkg-config).
# Every installed path is relative to the prefix, so the install tree can be
# moved (cmake --install <build> --prefix <anywhere>).
include(CMakePackageConfigHelpers)

set(DISRUPTOR_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/disruptor")
set(DISRUPTOR_PKGCONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

install(TARGETS disruptor EXPORT disruptorTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/disruptor DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(EXPORT disruptorTargets NAMESPACE disruptor:: DESTINATION ${DISRUPTOR_CMAKE_DIR})

configure_package_config_file(cmake/disruptorConfig.cmake.in "${PROJECT_BINARY_DIR}/disruptorConfig.cmake"
  INSTALL_DESTINATION ${DISRUPTOR_CMAKE_DIR})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/disruptorConfigVersion.cmake" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/disruptorConfig.cmake" "${PROJECT_BINARY_DIR}/disruptorConfigVersion.cmake"
  DESTINATION ${DISRUPTOR_CMAKE_DIR})

# disruptor.pc finds the prefix from its own location (${pcfiledir}), so
# that it stays right wherever the tree is installed; absolute install
# directories are written as they are.
if(IS_ABSOLUTE "${DISRUPTOR_PKGCONFIG_DIR}")
  set(DISRUPTOR_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH disruptor_pc_up "/prefix/${DISRUPTOR_PKGCONFIG_DIR}" "/prefix")
  string(REGEX REPLACE "/$" "" disruptor_pc_up "${disruptor_pc_up}")
  set(DISRUPTOR_PC_PREFIX "\${pcfiledir}/${disruptor_pc_up}")
endif()
foreach(kind INCLUDEDIR LIBDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${kind}}")
    set(DISRUPTOR_PC_${kind} "${CMAKE_INSTALL_${kind}}")
  else()
    set(DISRUPTOR_PC_${kind} "\${prefix}/${CMAKE_INSTALL_${kind}}")
  endif()
endforeach()
configure_file(cmake/disruptor.pc.in "${PROJECT_BINARY_DIR}/disruptor.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/disruptor.pc" DESTINATION ${DISRUPTOR_PKGCONFIG_DIR})
