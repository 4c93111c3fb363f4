<?php
/**
 * WooCommerce > ShopAffiliate settings page (WordPress glue).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || exit;

/**
 * Server URL, workspace, tracking settings, Connect button and connection status.
 */
final class ShopAffiliate_Settings_Page {

	const SLUG              = 'shopaffiliate-settings';
	const GROUP             = 'shopaffiliate';
	const CAPABILITY        = 'manage_woocommerce';
	const DISCONNECT_ACTION = 'shopaffiliate_disconnect';

	/**
	 * Submenu under WooCommerce.
	 */
	public static function add_menu(): void {
		add_submenu_page(
			'woocommerce',
			__( 'ShopAffiliate settings', 'shopaffiliate' ),
			__( 'ShopAffiliate', 'shopaffiliate' ),
			self::CAPABILITY,
			self::SLUG,
			array( self::class, 'render' )
		);
	}

	/**
	 * Let shop managers save the settings (options.php checks the nonce and this capability).
	 */
	public static function capability(): string {
		return self::CAPABILITY;
	}

	/**
	 * "Settings" link on the Plugins screen.
	 *
	 * @param array $links Links.
	 */
	public static function action_links( $links ): array {
		$links = is_array( $links ) ? $links : array();
		array_unshift( $links, '<a href="' . esc_url( admin_url( 'admin.php?page=' . self::SLUG ) ) . '">' . esc_html__( 'Settings', 'shopaffiliate' ) . '</a>' );
		return $links;
	}

	/**
	 * Register the settings with sanitize callbacks that reuse the logic-class validators.
	 */
	public static function register_settings(): void {
		register_setting(
			self::GROUP,
			ShopAffiliate_Options::SERVER_URL,
			array(
				'type'              => 'string',
				'default'           => ShopAffiliate_Options::DEFAULT_SERVER_URL,
				'sanitize_callback' => array( self::class, 'sanitize_server_url' ),
			)
		);
		register_setting(
			self::GROUP,
			ShopAffiliate_Options::WORKSPACE,
			array(
				'type'              => 'string',
				'default'           => '',
				'sanitize_callback' => array( self::class, 'sanitize_workspace' ),
			)
		);
		register_setting(
			self::GROUP,
			ShopAffiliate_Options::WORKSPACE_SLUG,
			array(
				'type'              => 'string',
				'default'           => '',
				'sanitize_callback' => array( self::class, 'sanitize_workspace_slug' ),
			)
		);
		register_setting(
			self::GROUP,
			ShopAffiliate_Options::COOKIE_DAYS,
			array(
				'type'              => 'integer',
				'default'           => ShopAffiliate_Options::DEFAULT_COOKIE_DAYS,
				'sanitize_callback' => array( ShopAffiliate_Options::class, 'cookie_days' ),
			)
		);
		register_setting(
			self::GROUP,
			ShopAffiliate_Options::ATTRIBUTION,
			array(
				'type'              => 'string',
				'default'           => ShopAffiliate_Options::ATTRIBUTION_LAST_CLICK,
				'sanitize_callback' => array( ShopAffiliate_Options::class, 'attribution' ),
			)
		);
		register_setting(
			self::GROUP,
			ShopAffiliate_Options::CONSENT_CATEGORY,
			array(
				'type'              => 'string',
				'default'           => ShopAffiliate_Options::DEFAULT_CONSENT_CATEGORY,
				'sanitize_callback' => array( ShopAffiliate_Options::class, 'consent_category' ),
			)
		);
	}

	/**
	 * Keep the previous URL (with an error notice) when the new one is invalid.
	 *
	 * @param mixed $value Submitted value.
	 */
	public static function sanitize_server_url( $value ): string {
		$url = ShopAffiliate_Config_Payload::normalize_server_url( is_string( $value ) ? trim( $value ) : $value );
		if ( null === $url ) {
			add_settings_error( ShopAffiliate_Options::SERVER_URL, 'invalid', __( 'The server URL must be an absolute http(s) URL without query string; the previous value was kept.', 'shopaffiliate' ) );
			return ShopAffiliate_Plugin::server_url();
		}
		return $url;
	}

	/**
	 * Connect code (or program slug or id, or a legacy API key): a single token of printable characters.
	 *
	 * @param mixed $value Submitted value.
	 */
	public static function sanitize_workspace( $value ): string {
		$value = is_string( $value ) ? trim( $value ) : '';
		if ( '' !== $value && 1 !== preg_match( '/^[\x21-\x7E]{1,256}$/D', $value ) ) {
			add_settings_error( ShopAffiliate_Options::WORKSPACE, 'invalid', __( 'The connect code must be a single word (no spaces); the previous value was kept.', 'shopaffiliate' ) );
			return (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::WORKSPACE );
		}
		return $value;
	}

	/**
	 * Workspace slug (may be empty).
	 *
	 * @param mixed $value Submitted value.
	 */
	public static function sanitize_workspace_slug( $value ): string {
		$value = is_string( $value ) ? trim( $value ) : '';
		if ( '' === $value ) {
			return '';
		}
		$slug = ShopAffiliate_Config_Payload::normalize_workspace_slug( $value );
		if ( null === $slug ) {
			add_settings_error( ShopAffiliate_Options::WORKSPACE_SLUG, 'invalid', __( 'The program slug may only contain letters, digits, _ and -; the previous value was kept.', 'shopaffiliate' ) );
			return (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::WORKSPACE_SLUG );
		}
		return $slug;
	}

	/**
	 * Forget the connection (shop id and launch secret).
	 */
	public static function handle_disconnect(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to do this.', 'shopaffiliate' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::DISCONNECT_ACTION );
		delete_option( ShopAffiliate_Options::SHOP_ID );
		delete_option( ShopAffiliate_Options::LAUNCH_SECRET );
		wp_safe_redirect( admin_url( 'admin.php?page=' . self::SLUG . '&shopaffiliate_disconnected=1' ) );
		exit;
	}

	/**
	 * Render the page.
	 */
	public static function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to access this page.', 'shopaffiliate' ), '', array( 'response' => 403 ) );
		}
		$server      = ShopAffiliate_Plugin::server_url();
		$workspace   = (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::WORKSPACE );
		$slug        = (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::WORKSPACE_SLUG );
		$shop_id     = (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::SHOP_ID );
		$has_secret  = '' !== (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::LAUNCH_SECRET );
		$days        = ShopAffiliate_Plugin::cookie_days();
		$attribution = ShopAffiliate_Options::attribution( ShopAffiliate_Plugin::option( ShopAffiliate_Options::ATTRIBUTION ) );
		$consent     = ShopAffiliate_Options::consent_category( ShopAffiliate_Plugin::option( ShopAffiliate_Options::CONSENT_CATEGORY ) );
		$connect_url = ShopAffiliate_Links::connect_url( $server, home_url(), $workspace );
		?>
		<div class="wrap">
			<h1><?php esc_html_e( 'ShopAffiliate', 'shopaffiliate' ); ?></h1>
			<?php settings_errors(); ?>
			<?php if ( isset( $_GET['shopaffiliate_disconnected'] ) ) : // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- display-only flag. ?>
				<div class="notice notice-success"><p><?php esc_html_e( 'Disconnected from ShopAffiliate.', 'shopaffiliate' ); ?></p></div>
			<?php endif; ?>

			<h2><?php esc_html_e( 'Connection', 'shopaffiliate' ); ?></h2>
			<?php if ( '' !== $shop_id ) : ?>
				<p>
					<?php
					/* translators: %s: shop id. */
					printf( esc_html__( 'Connected: shop id %s.', 'shopaffiliate' ), '<code>' . esc_html( $shop_id ) . '</code>' );
					echo ' ';
					echo $has_secret ? esc_html__( 'Launch secret received.', 'shopaffiliate' ) : esc_html__( 'No launch secret yet: the embedded admin is unavailable.', 'shopaffiliate' );
					?>
				</p>
				<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
					<input type="hidden" name="action" value="<?php echo esc_attr( self::DISCONNECT_ACTION ); ?>" />
					<?php wp_nonce_field( self::DISCONNECT_ACTION ); ?>
					<?php submit_button( __( 'Disconnect', 'shopaffiliate' ), 'secondary', 'submit', false ); ?>
				</form>
			<?php else : ?>
				<p><?php esc_html_e( 'Not connected yet. Save the server URL and a connect code, then press Connect: ShopAffiliate shows which program this store will join and asks you to confirm, then you approve a WooCommerce REST API key for ShopAffiliate, and the server sends its configuration to this site.', 'shopaffiliate' ); ?></p>
			<?php endif; ?>
			<?php if ( '' !== $workspace ) : ?>
				<p><a class="button button-primary" href="<?php echo esc_url( $connect_url ); ?>"><?php echo '' !== $shop_id ? esc_html__( 'Reconnect to ShopAffiliate', 'shopaffiliate' ) : esc_html__( 'Connect to ShopAffiliate', 'shopaffiliate' ); ?></a></p>
			<?php else : ?>
				<p><em><?php esc_html_e( 'Enter a connect code below to enable the Connect button.', 'shopaffiliate' ); ?></em></p>
			<?php endif; ?>

			<form method="post" action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>">
				<?php settings_fields( self::GROUP ); ?>
				<table class="form-table" role="presentation">
					<tr>
						<th scope="row"><label for="shopaffiliate_server_url"><?php esc_html_e( 'Server URL', 'shopaffiliate' ); ?></label></th>
						<td><input type="url" class="regular-text" id="shopaffiliate_server_url" name="<?php echo esc_attr( ShopAffiliate_Options::SERVER_URL ); ?>" value="<?php echo esc_attr( $server ); ?>" required /></td>
					</tr>
					<tr>
						<th scope="row"><label for="shopaffiliate_workspace"><?php esc_html_e( 'Connect code', 'shopaffiliate' ); ?></label></th>
						<td>
							<input type="text" class="regular-text" id="shopaffiliate_workspace" name="<?php echo esc_attr( ShopAffiliate_Options::WORKSPACE ); ?>" value="<?php echo esc_attr( $workspace ); ?>" autocomplete="off" placeholder="sac_…" />
							<p class="description"><?php esc_html_e( 'Create one on the start page of the ShopAffiliate admin (Create a connect code): it works once, for 15 minutes. Signed in to ShopAffiliate in this browser, the program slug works too. An API key saved here by an older version still works, but a connect code is safer: it is used up by connecting.', 'shopaffiliate' ); ?></p>
						</td>
					</tr>
					<tr>
						<th scope="row"><label for="shopaffiliate_workspace_slug"><?php esc_html_e( 'Program page slug', 'shopaffiliate' ); ?></label></th>
						<td>
							<input type="text" class="regular-text" id="shopaffiliate_workspace_slug" name="<?php echo esc_attr( ShopAffiliate_Options::WORKSPACE_SLUG ); ?>" value="<?php echo esc_attr( $slug ); ?>" />
							<p class="description"><?php esc_html_e( 'Optional; links My Account > Affiliate to {server}/p/{slug}. Normally set by the server.', 'shopaffiliate' ); ?></p>
						</td>
					</tr>
					<tr>
						<th scope="row"><label for="shopaffiliate_cookie_days"><?php esc_html_e( 'Cookie window (days)', 'shopaffiliate' ); ?></label></th>
						<td><input type="number" min="1" max="365" step="1" id="shopaffiliate_cookie_days" name="<?php echo esc_attr( ShopAffiliate_Options::COOKIE_DAYS ); ?>" value="<?php echo esc_attr( (string) $days ); ?>" /></td>
					</tr>
					<tr>
						<th scope="row"><label for="shopaffiliate_attribution"><?php esc_html_e( 'Attribution model', 'shopaffiliate' ); ?></label></th>
						<td>
							<select id="shopaffiliate_attribution" name="<?php echo esc_attr( ShopAffiliate_Options::ATTRIBUTION ); ?>">
								<option value="last_click" <?php selected( $attribution, 'last_click' ); ?>><?php esc_html_e( 'Last click (a new referral replaces the cookie)', 'shopaffiliate' ); ?></option>
								<option value="first_click" <?php selected( $attribution, 'first_click' ); ?>><?php esc_html_e( 'First click (an existing referral is kept)', 'shopaffiliate' ); ?></option>
							</select>
						</td>
					</tr>
					<tr>
						<th scope="row"><label for="shopaffiliate_consent_category"><?php esc_html_e( 'Consent category', 'shopaffiliate' ); ?></label></th>
						<td>
							<select id="shopaffiliate_consent_category" name="<?php echo esc_attr( ShopAffiliate_Options::CONSENT_CATEGORY ); ?>">
								<?php foreach ( ShopAffiliate_Options::CONSENT_CATEGORIES as $category ) : ?>
									<option value="<?php echo esc_attr( $category ); ?>" <?php selected( $consent, $category ); ?>><?php echo esc_html( $category ); ?></option>
								<?php endforeach; ?>
							</select>
							<p class="description"><?php esc_html_e( 'When a WP Consent API plugin is active, the referral cookie is only set after the visitor consents to this category.', 'shopaffiliate' ); ?></p>
						</td>
					</tr>
				</table>
				<?php submit_button(); ?>
			</form>
		</div>
		<?php
	}
}
