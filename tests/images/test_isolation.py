def test_only_own_dependencies_installed(isolation_check):
    isolation_check("images")
