CMakeFiles/hyperland.dir/src/solvers/evolve_krylov.c.o: \
 /work/wt/netdg/src/solvers/evolve_krylov.c /usr/include/stdc-predef.h \
 /usr/include/math.h \
 /usr/include/x86_64-linux-gnu/bits/libc-header-start.h \
 /usr/include/features.h /usr/include/features-time64.h \
 /usr/include/x86_64-linux-gnu/bits/wordsize.h \
 /usr/include/x86_64-linux-gnu/bits/timesize.h \
 /usr/include/x86_64-linux-gnu/sys/cdefs.h \
 /usr/include/x86_64-linux-gnu/bits/long-double.h \
 /usr/include/x86_64-linux-gnu/gnu/stubs.h \
 /usr/include/x86_64-linux-gnu/gnu/stubs-64.h \
 /usr/include/x86_64-linux-gnu/bits/types.h \
 /usr/include/x86_64-linux-gnu/bits/typesizes.h \
 /usr/include/x86_64-linux-gnu/bits/time64.h \
 /usr/include/x86_64-linux-gnu/bits/math-vector.h \
 /usr/include/x86_64-linux-gnu/bits/libm-simd-decl-stubs.h \
 /usr/include/x86_64-linux-gnu/bits/floatn.h \
 /usr/include/x86_64-linux-gnu/bits/floatn-common.h \
 /usr/include/x86_64-linux-gnu/bits/flt-eval-method.h \
 /usr/include/x86_64-linux-gnu/bits/fp-logb.h \
 /usr/include/x86_64-linux-gnu/bits/fp-fast.h \
 /usr/include/x86_64-linux-gnu/bits/mathcalls-helper-functions.h \
 /usr/include/x86_64-linux-gnu/bits/mathcalls.h /usr/include/stdlib.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h \
 /usr/include/x86_64-linux-gnu/bits/waitflags.h \
 /usr/include/x86_64-linux-gnu/bits/waitstatus.h \
 /usr/include/x86_64-linux-gnu/bits/stdlib-bsearch.h \
 /usr/include/x86_64-linux-gnu/bits/stdlib-float.h /usr/include/string.h \
 /usr/include/x86_64-linux-gnu/bits/types/locale_t.h \
 /usr/include/x86_64-linux-gnu/bits/types/__locale_t.h \
 /usr/include/gsl/gsl_errno.h /usr/include/stdio.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/stdarg.h \
 /usr/include/x86_64-linux-gnu/bits/types/__fpos_t.h \
 /usr/include/x86_64-linux-gnu/bits/types/__mbstate_t.h \
 /usr/include/x86_64-linux-gnu/bits/types/__fpos64_t.h \
 /usr/include/x86_64-linux-gnu/bits/types/__FILE.h \
 /usr/include/x86_64-linux-gnu/bits/types/FILE.h \
 /usr/include/x86_64-linux-gnu/bits/types/struct_FILE.h \
 /usr/include/x86_64-linux-gnu/bits/stdio_lim.h \
 /usr/include/x86_64-linux-gnu/bits/stdio.h /usr/include/errno.h \
 /usr/include/x86_64-linux-gnu/bits/errno.h /usr/include/linux/errno.h \
 /usr/include/x86_64-linux-gnu/asm/errno.h \
 /usr/include/asm-generic/errno.h /usr/include/asm-generic/errno-base.h \
 /usr/include/gsl/gsl_types.h /usr/include/gsl/gsl_linalg.h \
 /usr/include/gsl/gsl_mode.h /usr/include/gsl/gsl_inline.h \
 /usr/include/gsl/gsl_permutation.h /usr/include/gsl/gsl_check_range.h \
 /usr/include/gsl/gsl_vector.h \
 /usr/include/gsl/gsl_vector_complex_long_double.h \
 /usr/include/gsl/gsl_complex.h /usr/include/gsl/gsl_vector_long_double.h \
 /usr/include/gsl/gsl_block_long_double.h \
 /usr/include/gsl/gsl_vector_complex.h \
 /usr/include/gsl/gsl_block_complex_long_double.h \
 /usr/include/gsl/gsl_vector_complex_double.h \
 /usr/include/gsl/gsl_vector_double.h /usr/include/gsl/gsl_block_double.h \
 /usr/include/gsl/gsl_block_complex_double.h \
 /usr/include/gsl/gsl_vector_complex_float.h \
 /usr/include/gsl/gsl_vector_float.h /usr/include/gsl/gsl_block_float.h \
 /usr/include/gsl/gsl_block_complex_float.h \
 /usr/include/gsl/gsl_vector_ulong.h /usr/include/gsl/gsl_block_ulong.h \
 /usr/include/gsl/gsl_vector_long.h /usr/include/gsl/gsl_block_long.h \
 /usr/include/gsl/gsl_vector_uint.h /usr/include/gsl/gsl_block_uint.h \
 /usr/include/gsl/gsl_vector_int.h /usr/include/gsl/gsl_block_int.h \
 /usr/include/gsl/gsl_vector_ushort.h /usr/include/gsl/gsl_block_ushort.h \
 /usr/include/gsl/gsl_vector_short.h /usr/include/gsl/gsl_block_short.h \
 /usr/include/gsl/gsl_vector_uchar.h /usr/include/gsl/gsl_block_uchar.h \
 /usr/include/gsl/gsl_vector_char.h /usr/include/gsl/gsl_block_char.h \
 /usr/include/gsl/gsl_matrix.h \
 /usr/include/gsl/gsl_matrix_complex_long_double.h \
 /usr/include/gsl/gsl_blas_types.h /usr/include/gsl/gsl_cblas.h \
 /usr/include/gsl/gsl_matrix_complex_double.h \
 /usr/include/gsl/gsl_matrix_complex_float.h \
 /usr/include/gsl/gsl_matrix_long_double.h \
 /usr/include/gsl/gsl_matrix_double.h /usr/include/gsl/gsl_matrix_float.h \
 /usr/include/gsl/gsl_matrix_ulong.h /usr/include/gsl/gsl_matrix_long.h \
 /usr/include/gsl/gsl_matrix_uint.h /usr/include/gsl/gsl_matrix_int.h \
 /usr/include/gsl/gsl_matrix_ushort.h /usr/include/gsl/gsl_matrix_short.h \
 /usr/include/gsl/gsl_matrix_uchar.h /usr/include/gsl/gsl_matrix_char.h \
 /usr/include/gsl/gsl_math.h /usr/include/gsl/gsl_sys.h \
 /usr/include/gsl/gsl_machine.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/limits.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/syslimits.h \
 /usr/include/limits.h /usr/include/x86_64-linux-gnu/bits/posix1_lim.h \
 /usr/include/x86_64-linux-gnu/bits/local_lim.h \
 /usr/include/linux/limits.h \
 /usr/include/x86_64-linux-gnu/bits/pthread_stack_min-dynamic.h \
 /usr/include/x86_64-linux-gnu/bits/pthread_stack_min.h \
 /usr/include/x86_64-linux-gnu/bits/posix2_lim.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/float.h \
 /usr/include/gsl/gsl_precision.h /usr/include/gsl/gsl_nan.h \
 /usr/include/gsl/gsl_pow_int.h /usr/include/gsl/gsl_minmax.h \
 /usr/include/gsl/gsl_blas.h /usr/include/lapacke.h /usr/include/lapack.h \
 /usr/include/lapacke_mangling.h /usr/include/inttypes.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/stdint.h /usr/include/stdint.h \
 /usr/include/x86_64-linux-gnu/bits/wchar.h \
 /usr/include/x86_64-linux-gnu/bits/stdint-intn.h \
 /usr/include/x86_64-linux-gnu/bits/stdint-uintn.h /usr/include/complex.h \
 /usr/include/x86_64-linux-gnu/bits/mathdef.h \
 /usr/include/x86_64-linux-gnu/bits/cmathcalls.h \
 /work/wt/netdg/src/solvers/evolve_impl.h \
 /usr/include/suitesparse/umfpack.h \
 /usr/include/suitesparse/SuiteSparse_config.h \
 /usr/include/suitesparse/umfpack_symbolic.h \
 /usr/include/suitesparse/umfpack_numeric.h \
 /usr/include/suitesparse/umfpack_solve.h \
 /usr/include/suitesparse/umfpack_free_symbolic.h \
 /usr/include/suitesparse/umfpack_free_numeric.h \
 /usr/include/suitesparse/umfpack_defaults.h \
 /usr/include/suitesparse/umfpack_qsymbolic.h \
 /usr/include/suitesparse/umfpack_wsolve.h \
 /usr/include/suitesparse/umfpack_triplet_to_col.h \
 /usr/include/suitesparse/umfpack_col_to_triplet.h \
 /usr/include/suitesparse/umfpack_transpose.h \
 /usr/include/suitesparse/umfpack_scale.h \
 /usr/include/suitesparse/umfpack_get_lunz.h \
 /usr/include/suitesparse/umfpack_get_numeric.h \
 /usr/include/suitesparse/umfpack_get_symbolic.h \
 /usr/include/suitesparse/umfpack_save_numeric.h \
 /usr/include/suitesparse/umfpack_load_numeric.h \
 /usr/include/suitesparse/umfpack_save_symbolic.h \
 /usr/include/suitesparse/umfpack_load_symbolic.h \
 /usr/include/suitesparse/umfpack_get_determinant.h \
 /usr/include/suitesparse/umfpack_report_status.h \
 /usr/include/suitesparse/umfpack_report_info.h \
 /usr/include/suitesparse/umfpack_report_control.h \
 /usr/include/suitesparse/umfpack_report_matrix.h \
 /usr/include/suitesparse/umfpack_report_triplet.h \
 /usr/include/suitesparse/umfpack_report_vector.h \
 /usr/include/suitesparse/umfpack_report_symbolic.h \
 /usr/include/suitesparse/umfpack_report_numeric.h \
 /usr/include/suitesparse/umfpack_report_perm.h \
 /usr/include/suitesparse/umfpack_timer.h \
 /usr/include/suitesparse/umfpack_tictoc.h /usr/include/suitesparse/amd.h \
 /usr/include/suitesparse/umfpack_global.h \
 /work/wt/netdg/src/solvers/active.h /work/wt/netdg/src/chain/rchain.h \
 /work/wt/netdg/src/solvers/chain_evolve.h \
 /work/wt/netdg/include/hyperland/evolve.h \
 /work/wt/netdg/include/hyperland/model.h \
 /work/wt/netdg/include/hyperland/exact.h \
 /work/wt/netdg/include/hyperland/protocol.h \
 /work/wt/netdg/src/core/core.h \
 /work/wt/netdg/include/hyperland/hyperland.h \
 /work/wt/netdg/build2/include/hyperland/version.h \
 /work/wt/netdg/include/hyperland/thermodynamics.h \
 /work/wt/netdg/include/hyperland/master.h \
 /work/wt/netdg/include/hyperland/sectors.h \
 /work/wt/netdg/include/hyperland/gaussian.h \
 /work/wt/netdg/include/hyperland/fokker_planck.h \
 /work/wt/netdg/include/hyperland/output.h \
 /work/wt/netdg/include/hyperland/chain.h \
 /work/wt/netdg/include/hyperland/network.h
