/**
 * Model training for the trainer: {@link dev.almanac.trainer.models.ModelCatalog} maps a spec's
 * model type to a trainer; a fit returns a model that predicts natively and exports itself to ONNX.
 *
 * <p>Parameters (spec {@code params}, overridden by {@code FitOptions.params}; unknown keys fail),
 * with the scikit-learn / Python-wrapper names and defaults the anchor pipeline uses:
 *
 * <ul>
 *   <li>RandomForest: n_estimators 100, max_features 1.0 (regression) / sqrt (classification),
 *       max_depth 0 (= unlimited), min_samples_split 2, min_samples_leaf 1, bootstrap true
 *   <li>XGBoost: n_estimators 100, learning_rate 0.3, max_depth 6, min_child_weight 1, subsample 1,
 *       colsample_bytree 1, reg_lambda 1, reg_alpha 0, gamma 0, max_bin 256, tree_method hist
 *   <li>LightGBM (regression only): n_estimators 100, learning_rate 0.1, num_leaves 31, max_depth
 *       -1, min_child_samples 20, min_child_weight 1e-3, subsample 1, subsample_freq 0,
 *       colsample_bytree 1, reg_alpha 0, reg_lambda 0, max_bin 255
 *   <li>Linear: standardize true (numerics only: OLS does not depend on it)
 *   <li>Ridge: alpha 1.0, standardize true (= StandardScaler + Ridge, as the anchor)
 *   <li>LogisticRegression (classification only): C 1.0, max_iter 100, tol 1e-4
 * </ul>
 *
 * {@code FitOptions.seed} seeds every random choice (same seed, same model, for any thread count);
 * {@code FitOptions.threads} is the forest's tree-growing pool and the natives' OpenMP threads for
 * fitting. XGBoost predicts with one thread afterwards (single-row recursive forecasts).
 */
package dev.almanac.trainer.models;
