<?php
/**
 * Option names and defaults (pure PHP, no WordPress calls).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || defined( 'SHOPAFFILIATE_TESTS' ) || exit;

/**
 * The plugin's option names, their defaults and the allowed enumerations.
 */
final class ShopAffiliate_Options {

	const SERVER_URL       = 'shopaffiliate_server_url';
	const WORKSPACE        = 'shopaffiliate_workspace';
	const WORKSPACE_SLUG   = 'shopaffiliate_workspace_slug';
	const SHOP_ID          = 'shopaffiliate_shop_id';
	const LAUNCH_SECRET    = 'shopaffiliate_launch_secret';
	const COOKIE_DAYS      = 'shopaffiliate_cookie_days';
	const ATTRIBUTION      = 'shopaffiliate_attribution';
	const CONSENT_CATEGORY = 'shopaffiliate_consent_category';

	const DEFAULT_SERVER_URL       = 'http://localhost:5080';
	const DEFAULT_COOKIE_DAYS      = 30;
	const MIN_COOKIE_DAYS          = 1;
	const MAX_COOKIE_DAYS          = 365;
	const ATTRIBUTION_LAST_CLICK   = 'last_click';
	const ATTRIBUTION_FIRST_CLICK  = 'first_click';
	const DEFAULT_CONSENT_CATEGORY = 'marketing';

	/**
	 * The WP Consent API categories.
	 */
	const CONSENT_CATEGORIES = array( 'functional', 'preferences', 'statistics', 'statistics-anonymous', 'marketing' );

	/**
	 * Default value of every option the plugin stores.
	 *
	 * @return array<string, mixed>
	 */
	public static function defaults(): array {
		return array(
			self::SERVER_URL       => self::DEFAULT_SERVER_URL,
			self::WORKSPACE        => '',
			self::WORKSPACE_SLUG   => '',
			self::SHOP_ID          => '',
			self::LAUNCH_SECRET    => '',
			self::COOKIE_DAYS      => self::DEFAULT_COOKIE_DAYS,
			self::ATTRIBUTION      => self::ATTRIBUTION_LAST_CLICK,
			self::CONSENT_CATEGORY => self::DEFAULT_CONSENT_CATEGORY,
		);
	}

	/**
	 * Every option name (uninstall removes exactly these).
	 *
	 * @return string[]
	 */
	public static function all(): array {
		return array_keys( self::defaults() );
	}

	/**
	 * Clamp a cookie window to 1..365 days; anything unusable becomes the default.
	 *
	 * @param mixed $days Raw value.
	 */
	public static function cookie_days( $days ): int {
		if ( is_string( $days ) && 1 === preg_match( '/^[0-9]{1,4}$/D', $days ) ) {
			$days = (int) $days;
		}
		if ( ! is_int( $days ) || $days < self::MIN_COOKIE_DAYS || $days > self::MAX_COOKIE_DAYS ) {
			return self::DEFAULT_COOKIE_DAYS;
		}
		return $days;
	}

	/**
	 * Normalise an attribution model name; unknown values become last_click.
	 *
	 * @param mixed $model Raw value.
	 */
	public static function attribution( $model ): string {
		$normalised = ShopAffiliate_Config_Payload::normalize_attribution( $model );
		return null === $normalised ? self::ATTRIBUTION_LAST_CLICK : $normalised;
	}

	/**
	 * Normalise a consent category; unknown values become marketing.
	 *
	 * @param mixed $category Raw value.
	 */
	public static function consent_category( $category ): string {
		return is_string( $category ) && in_array( $category, self::CONSENT_CATEGORIES, true ) ? $category : self::DEFAULT_CONSENT_CATEGORY;
	}
}
