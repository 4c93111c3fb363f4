<?php
/**
 * The ShopAffiliate admin inside wp-admin through a signed launch link (WordPress glue).
 *
 * @package ShopAffiliate
 */

defined( 'ABSPATH' ) || exit;

/**
 * Menu page with an iframe and an "open in new tab" button; both go through admin-post.php, which
 * checks capability and nonce, signs a fresh 60-second launch link and redirects to it.
 */
final class ShopAffiliate_Admin_Launch {

	const SLUG       = 'shopaffiliate';
	const ACTION     = 'shopaffiliate_launch';
	const CAPABILITY = 'manage_woocommerce';

	/**
	 * Top-level menu page.
	 */
	public static function add_menu(): void {
		add_menu_page(
			__( 'ShopAffiliate', 'shopaffiliate' ),
			__( 'ShopAffiliate', 'shopaffiliate' ),
			self::CAPABILITY,
			self::SLUG,
			array( self::class, 'render' ),
			'dashicons-groups',
			56
		);
	}

	/**
	 * The admin-post URL that redirects to a freshly signed launch link.
	 */
	private static function launch_url(): string {
		return wp_nonce_url( admin_url( 'admin-post.php?action=' . self::ACTION ), self::ACTION );
	}

	/**
	 * Render the page.
	 */
	public static function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to access this page.', 'shopaffiliate' ), '', array( 'response' => 403 ) );
		}
		$connected = '' !== (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::SHOP_ID )
			&& '' !== (string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::LAUNCH_SECRET );
		?>
		<div class="wrap">
			<h1 class="wp-heading-inline"><?php esc_html_e( 'ShopAffiliate', 'shopaffiliate' ); ?></h1>
			<?php if ( ! $connected ) : ?>
				<div class="notice notice-warning inline">
					<p>
						<?php esc_html_e( 'This store is not connected to ShopAffiliate yet.', 'shopaffiliate' ); ?>
						<a href="<?php echo esc_url( admin_url( 'admin.php?page=' . ShopAffiliate_Settings_Page::SLUG ) ); ?>"><?php esc_html_e( 'Open the settings', 'shopaffiliate' ); ?></a>
					</p>
				</div>
			<?php else : ?>
				<a class="page-title-action" href="<?php echo esc_url( self::launch_url() ); ?>" target="_blank" rel="noopener"><?php esc_html_e( 'Open in a new tab', 'shopaffiliate' ); ?></a>
				<hr class="wp-header-end" />
				<iframe
					title="<?php esc_attr_e( 'ShopAffiliate admin', 'shopaffiliate' ); ?>"
					src="<?php echo esc_url( self::launch_url() ); ?>"
					referrerpolicy="origin"
					style="width:100%;min-height:80vh;border:0;background:#fff;margin-top:12px;"
				></iframe>
			<?php endif; ?>
		</div>
		<?php
	}

	/**
	 * admin-post.php?action=shopaffiliate_launch: capability + nonce, then 302 to the signed link.
	 */
	public static function handle_launch(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to open the ShopAffiliate admin.', 'shopaffiliate' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( self::ACTION );

		$user = wp_get_current_user();
		try {
			$url = ShopAffiliate_Launch_Link::build(
				ShopAffiliate_Plugin::server_url(),
				(string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::LAUNCH_SECRET ),
				(string) ShopAffiliate_Plugin::option( ShopAffiliate_Options::SHOP_ID ),
				(int) $user->ID,
				(string) $user->user_email,
				time(),
				ShopAffiliate_Launch_Link::random_nonce()
			);
		} catch ( InvalidArgumentException $e ) {
			wp_die( esc_html( $e->getMessage() ), esc_html__( 'ShopAffiliate', 'shopaffiliate' ), array( 'response' => 409 ) );
		}

		nocache_headers();
		// An external, configured host: wp_safe_redirect() would refuse it.
		wp_redirect( $url, 302, 'ShopAffiliate' ); // phpcs:ignore WordPress.Security.SafeRedirect.wp_redirect_wp_redirect
		exit;
	}
}
