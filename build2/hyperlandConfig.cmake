# SPDX-License-Identifier: GPL-3.0-or-later
# hyperlandConfig.cmake -- find_package(hyperland) gives the imported target
# hyperland::hyperland: the shared library libhyperland.so.0 with its
# include directory.  Its own dependencies (GSL, LAPACKE, ARPACK, SUNDIALS,
# SuiteSparse, OpenSSL's libcrypto, OpenMP) are linked into the shared
# library, so a program needs nothing else.  For static linking use
# pkg-config: pkg-config --static --libs hyperland.

####### Expanded from @PACKAGE_INIT@ by configure_package_config_file() #######
####### Any changes to this file will be overwritten by the next CMake run ####
####### The input file was hyperlandConfig.cmake.in                            ########

get_filename_component(PACKAGE_PREFIX_DIR "${CMAKE_CURRENT_LIST_DIR}/../../../" ABSOLUTE)

macro(set_and_check _var _file)
  set(${_var} "${_file}")
  if(NOT EXISTS "${_file}")
    message(FATAL_ERROR "File or directory ${_file} referenced by variable ${_var} does not exist !")
  endif()
endmacro()

macro(check_required_components _NAME)
  foreach(comp ${${_NAME}_FIND_COMPONENTS})
    if(NOT ${_NAME}_${comp}_FOUND)
      if(${_NAME}_FIND_REQUIRED_${comp})
        set(${_NAME}_FOUND FALSE)
      endif()
    endif()
  endforeach()
endmacro()

####################################################################################

include("${CMAKE_CURRENT_LIST_DIR}/hyperlandTargets.cmake")
check_required_components(hyperland)
